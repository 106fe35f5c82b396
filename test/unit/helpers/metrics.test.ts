import { metricsContract } from '../../helpers/contracts/metrics.js';
import { RecordingMetrics } from '../../helpers/metrics.js';

metricsContract('RecordingMetrics', () => {
  const metrics = new RecordingMetrics();
  return { metrics, published: () => metrics.series() };
});
