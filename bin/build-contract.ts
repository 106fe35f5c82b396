import path from 'node:path';
import { writeContractFiles } from '../lib/contract/artifacts.js';

// `npm run contract` (also part of `npm run build`): the OpenAPI document and the client's types.
for (const file of await writeContractFiles()) console.log(`wrote ${path.relative(process.cwd(), file)}`);
