import type { LatePolicy } from '../assignments/model.ts';

const DAY_MS = 86_400_000;

/** Whole days (rounded up) a submission is past the due date; 0 when on time or undated. */
export function daysLate(dueAt: Date | null, submittedAt: Date): number {
  if (!dueAt || submittedAt <= dueAt) return 0;
  return Math.ceil((submittedAt.getTime() - dueAt.getTime()) / DAY_MS);
}

/** Whether the policy still accepts a submission this late. */
export function acceptsLate(policy: LatePolicy, days: number): boolean {
  if (days === 0) return true;
  if (!policy.acceptLate) return false;
  return policy.maxLateDays === null || policy.maxLateDays === undefined || days <= policy.maxLateDays;
}

/** The score after the late penalty, never below zero, rounded to hundredths. */
export function finalScore(score: number, policy: LatePolicy, days: number): number {
  const penalty = Math.min(100, policy.penaltyPercentPerDay * days);
  return Math.max(0, Math.round(score * (1 - penalty / 100) * 100) / 100);
}
