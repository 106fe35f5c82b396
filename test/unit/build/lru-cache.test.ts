import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import LRUCache from '../../../lib/build/lru-cache.js';

// The module the bundles replace, as the SDK's endpoint cache loads it (CommonJS).
const MnemonistLRUCache = createRequire(import.meta.url)('mnemonist/lru-cache') as typeof LRUCache;

type Op = { op: 'get' | 'peek' | 'has'; key: number } | { op: 'set'; key: number; value: number } | { op: 'clear' };

const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constantFrom('get' as const, 'peek' as const, 'has' as const), key: fc.integer({ min: 0, max: 6 }) }),
    fc.record({ op: fc.constant('set' as const), key: fc.integer({ min: 0, max: 6 }), value: fc.integer() }),
    fc.constant({ op: 'clear' as const }),
  ),
  { maxLength: 60 },
);

function run(
  cache: { get(k: number): unknown; peek(k: number): unknown; has(k: number): boolean; set(k: number, v: number): unknown; clear(): void },
  op: Op,
): unknown {
  switch (op.op) {
    case 'set':
      cache.set(op.key, op.value);
      return undefined;
    case 'clear':
      cache.clear();
      return undefined;
    default:
      return cache[op.op](op.key);
  }
}

describe('LRUCache (the bundles’ stand-in for mnemonist/lru-cache)', () => {
  it('answers every sequence of operations the SDK’s EndpointCache makes exactly as mnemonist does (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), ops, (capacity, sequence) => {
        const ours = new LRUCache<number, number>(capacity);
        const theirs = new MnemonistLRUCache<number, number>(capacity);
        for (const op of sequence) expect(run(ours, op)).toEqual(run(theirs, op));
        expect(ours.size).toBe(theirs.size);
      }),
    );
  });

  it('evicts the least recently used entry, where a get counts as use and a peek does not', () => {
    const cache = new LRUCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    cache.get('a');
    cache.peek('b');
    cache.set('c', 3);

    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
  });
});
