import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag suppression in Crest goes through here, so each one carries its reason and, for
 * IAM5, the exact wildcard it allows (never a blanket suppression of the rule).
 */
export function suppress(scope: IConstruct, id: string, reason: string, appliesTo?: Array<string | { regex: string }>): void {
  NagSuppressions.addResourceSuppressions(scope, [{ id: `AwsSolutions-${id}`, reason, ...(appliesTo ? { appliesTo } : {}) }], true);
}
