import type { LambdaHost } from './lambda-host.js';
import type { LocalTemplate } from './template.js';

/** Parses EventBridge `rate(N minute|minutes|hour|hours|day|days)` into milliseconds. */
export function rateMs(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return undefined;
  const unit =
    { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 }[match[2] as string] ?? 0;
  return Number(match[1]) * unit;
}

/**
 * Hosts the template's scheduled EventBridge rules: each `rate(...)` rule invokes its Lambda
 * targets with a Scheduled Event on that period. (cron() rules are not hosted locally.)
 */
export function startSchedules(t: LocalTemplate, host: LambdaHost, log: (line: string) => void): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const [id, rule] of t.ofType('AWS::Events::Rule')) {
    const period = rateMs(String(rule.Properties?.ScheduleExpression ?? ''));
    if (!period) continue;
    for (const target of (rule.Properties?.Targets as Array<{ Arn?: { 'Fn::GetAtt'?: [string, string] } }> | undefined) ?? []) {
      const fnId = target.Arn?.['Fn::GetAtt']?.[0];
      if (!fnId) continue;
      const fn = host.get(fnId);
      const timer = setInterval(() => {
        const event = {
          version: '0',
          id: crypto.randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          time: new Date().toISOString(),
          resources: [t.arn(id)],
          detail: {},
        };
        fn.invoke(event).catch((error: Error) => log(`schedule ${id} → ${fnId} failed: ${error.message}`));
      }, period);
      timer.unref();
      timers.push(timer);
    }
  }
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
