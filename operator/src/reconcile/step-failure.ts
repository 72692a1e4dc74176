import type { ConditionType, Reason } from './conditions.ts';

/**
 * A step that could not converge, with the condition and reason to report. `stalled` means a
 * human must act (a taken subdomain, no eligible cluster); otherwise the step is retried.
 */
export class StepFailure extends Error {
  readonly condition: ConditionType;
  readonly reason: Reason;
  readonly stalled: boolean;

  constructor(
    condition: ConditionType,
    reason: Reason,
    message: string,
    options: { stalled?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'StepFailure';
    this.condition = condition;
    this.reason = reason;
    this.stalled = options.stalled ?? false;
  }
}
