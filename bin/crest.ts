/** CDK app entry: bundles the functions, then defines the stack (see lib/crest-stack.ts). */

import { createApp } from '../lib/app.js';
import { buildFunctions } from '../lib/build/bundle.js';

await buildFunctions();
createApp().app.synth();
