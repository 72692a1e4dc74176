/** Exponential backoff with full jitter: attempt n waits a random time in [base·2ⁿ/2, base·2ⁿ], capped. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
