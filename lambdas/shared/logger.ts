import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per function, configured from POWERTOOLS_* env (service name, log level). */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}
