/**
 * npm run bench:cost — regenerates docs/capacity.md (and its charts) from the counts the last
 * `npm run bench:flash` measured (bench/results/flash.json `costInputs`), e.g. after a price or a
 * quota in bench/lib/cost-model.ts changes. Run bench:flash to measure again.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '../lib/build/functions.js';
import { type CostInputs, writeCapacityDoc } from './lib/cost-model.js';

const file = path.join(ROOT, 'bench', 'results', 'flash.json');
const results = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as { costInputs?: CostInputs };
if (!results.costInputs) {
  console.error(
    'bench/results/flash.json has no cost inputs: run `npm run bench:flash` first (it measures them and writes docs/capacity.md too)',
  );
  process.exit(1);
}
await writeCapacityDoc(results.costInputs);
console.log('written: docs/capacity.md, docs/capacity-limits.svg, docs/capacity-drain.svg');
