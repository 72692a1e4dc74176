import type { MoveStatus } from '../../resources/tenant.ts';
import type { ConditionInput } from '../conditions.ts';
import type { StepFailure } from '../step-failure.ts';

/**
 * The provisioning steps, in the order the reconciler runs them. The crash-between-any-two-steps
 * test walks this list, so a step added here is covered without touching the test.
 */
export const TENANT_STEPS = [
  'claim',
  'placement',
  'reservation',
  'database',
  'user',
  'admin',
  'secret',
  'registry',
] as const;
export type TenantStep = (typeof TENANT_STEPS)[number];

/**
 * The points of a move where its phase is recorded (in the provisioning record, then status):
 * the crash-mid-move test stops an operator at each and lets another finish the move.
 */
export const MOVE_STEPS = ['move-draining', 'move-copying', 'move-switching', 'move-done'] as const;
export type MoveStep = (typeof MOVE_STEPS)[number];

/** The points of a credential rotation where its phase is recorded (see steps/credentials.ts). */
export const ROTATION_STEPS = [
  'rotation-preparing',
  'rotation-publishing',
  'rotation-overlapping',
  'rotation-done',
] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** What a converged step reports: the condition it owns. Steps add what later steps need. */
export interface StepOutcome {
  readonly condition: ConditionInput;
}

/**
 * What one pass learned, handed to the status computation: the conditions the steps reported, and
 * what stopped the pass, if anything (`stalled` waits for a human, `failure` is retried).
 */
export interface PassOutcome {
  readonly conditions: readonly ConditionInput[];
  readonly blocker: StepFailure | null;
  readonly cluster: string | undefined;
  readonly database: string | undefined;
  /** The schema version the database step left the database at. */
  readonly schemaVersion?: number | undefined;
  readonly secretName: string | undefined;
  readonly adminSecretName: string | undefined;
  /** The last move, as the provisioning record keeps it (status.move shows it). */
  readonly move: MoveStatus | null | undefined;
  /** The tenant's credentials as status shows them, and whether a rotation is under way. */
  readonly credentials?: CredentialsView | undefined;
  /** The key new tokens are signed with, and when it came. */
  readonly signingKey?: { readonly kid: string; readonly rotatedAt: Date | null } | undefined;
}

export interface CredentialsView {
  readonly current: string;
  readonly rotatedAt: Date | null;
  readonly previousRevokedAt: Date | null;
  readonly rotating: boolean;
}
