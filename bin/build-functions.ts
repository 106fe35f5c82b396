import { buildFunctions } from '../lib/build/bundle.js';

const reports = await buildFunctions();
for (const { name, bytes } of reports) console.log(`${name.padEnd(20)} ${(bytes / 1024).toFixed(0)} KB`);
