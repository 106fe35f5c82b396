/**
 * Lambda event filtering, the subset Crest uses
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html): every key of the
 * pattern must match; an array lists the accepted values; an object descends.
 */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((accepted) => JSON.stringify(accepted) === JSON.stringify(value));
  if (pattern && typeof pattern === 'object') {
    if (!value || typeof value !== 'object') return false;
    return Object.entries(pattern).every(([k, v]) => matchesPattern(v, (value as Record<string, unknown>)[k]));
  }
  return pattern === value;
}

/**
 * The records that match at least one of `patterns` (all of them when there are none). The rest
 * are dropped and count as processed, as Lambda does.
 */
export function filterRecords<T>(patterns: readonly unknown[], records: readonly T[]): T[] {
  if (patterns.length === 0) return [...records];
  return records.filter((record) => patterns.some((pattern) => matchesPattern(pattern, record)));
}
