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

/**
 * An error's message fit for status, events and logs: first line only, credentials in any
 * connection string removed, bounded length.
 */
export function safeMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '')
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, '$1***@')
    .replace(/(password|pwd|secret|token)\s*[:=]\s*\S+/gi, '$1=***')
    .slice(0, 512);
}
