import { streamHeartbeatsContract } from '../../helpers/contracts/health.js';
import { MemoryHeartbeats } from '../../helpers/health.js';

streamHeartbeatsContract('MemoryHeartbeats', async () => new MemoryHeartbeats());
