/**
 * Bundle-time stand-in for `mnemonist/lru-cache`, which the AWS SDK's `@aws-sdk/endpoint-cache`
 * (DynamoDB endpoint discovery, off unless a client enables it) is the only user of; see
 * lib/build/bundle.ts `alias`. The surface EndpointCache uses (`get`, `set`, `has`, `peek`,
 * `clear`) with the same least-recently-used eviction, on a Map's insertion order: ~0.4 KB
 * against ~7 KB for mnemonist and its `obliterator` dependency in every DynamoDB function.
 */
export default class LRUCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** The value, its recency unchanged. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    return this;
  }

  clear(): void {
    this.entries.clear();
  }
}
