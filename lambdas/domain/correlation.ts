/**
 * A correlation id names one client request across every function it reaches: the API answer
 * (`x-correlation-id`), the deduction's queue message (an SQS message attribute), its record and
 * so the deductions table's stream, and every log line about it (README, "Following a request").
 *
 * A client may choose it, so it is bounded: at most 128 characters of letters, digits and
 * `. _ : -`. Nothing else is trusted: a value that could forge a log line (a newline, a quote), run
 * long, or carry an e-mail address is replaced by API Gateway's request id, never echoed or stored.
 */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** True when `value` may be used (echoed, logged, stored) as a correlation id. */
export const isCorrelationId = (value: unknown): value is string => typeof value === 'string' && CORRELATION_ID_PATTERN.test(value);
