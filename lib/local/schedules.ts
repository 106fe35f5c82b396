import type { LambdaHost } from './lambda-host.js';
import type { ScheduleDescription } from './stack-description.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template.js';

/**
 * Hosts the stack's scheduled EventBridge rules: each invokes its Lambda targets with a Scheduled
 * Event on its period. Returns a function that stops them.
 */
export function startSchedules(schedules: readonly ScheduleDescription[], host: LambdaHost, log: (line: string) => void): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const schedule of schedules) {
    for (const fnId of schedule.targetFunctionIds) {
      const fn = host.get(fnId);
      const timer = setInterval(() => {
        const event = {
          version: '0',
          id: crypto.randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: LOCAL_ACCOUNT,
          region: LOCAL_REGION,
          time: new Date().toISOString(),
          resources: [schedule.arn],
          detail: {},
        };
        fn.invoke(event).catch((error: Error) => log(`schedule ${schedule.logicalId} → ${fnId} failed: ${error.message}`));
      }, schedule.periodMs);
      timer.unref();
      timers.push(timer);
    }
  }
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
