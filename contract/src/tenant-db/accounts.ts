import type { Db } from 'mongodb';
import { z } from 'zod';
import { systemClock } from '../clock.ts';
import { hashPassword } from './passwords.ts';

/** An account in a tenant's own database (collection `accounts`). Passwords only as scrypt hashes. */
export const ACCOUNTS_COLLECTION = 'accounts';

export const Role = z.enum(['admin', 'teacher', 'student']);
export type Role = z.infer<typeof Role>;

/** A deactivated account cannot log in, and its tokens stop working. */
export const AccountStatus = z.enum(['active', 'deactivated']);
export type AccountStatus = z.infer<typeof AccountStatus>;

/**
 * The account as the API and the operator's admin seed both write it; the API's model and its
 * public shape are derived from it.
 */
export const AccountRecord = z.strictObject({
  _id: z.string().min(1),
  email: z.string().min(3).max(254),
  displayName: z.string().max(200),
  role: Role,
  passwordHash: z.string().startsWith('scrypt$'),
  /** Set for a generated password: the first login must choose a new one. */
  mustChangePassword: z.boolean(),
  status: AccountStatus,
  /** Bumped by every change; the ETag of the account. */
  version: z.int().min(1),
  /**
   * Bumped by every change that must end the account's sessions (password, role, deactivation): a
   * refresh token carries the epoch of its login and stops working when the account's moves on.
   */
  sessionEpoch: z.int().min(0),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type AccountRecord = z.infer<typeof AccountRecord>;

/** Fields an account written by an older operator or API may lack, and what they then are. */
type Defaulted = Pick<AccountRecord, 'status' | 'version' | 'sessionEpoch'>;

/**
 * Admins seeded by operators before accounts had `status` and `version` are stored without them;
 * such an account is active, at version 1. Accounts from before session epochs are at epoch 0.
 * Fills them in on a document as read (in place).
 */
export function withAccountDefaults<T extends Partial<Defaulted>>(stored: T): T & Defaulted {
  stored.status ??= 'active';
  stored.version ??= 1;
  stored.sessionEpoch ??= 0;
  return stored as T & Defaulted;
}

/** E-mail addresses are compared lower-cased and trimmed; that is the form stored. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface SeedAdminInput {
  readonly email: string;
  readonly password: string;
  readonly now?: Date;
}

/**
 * Creates the tenant's first administrator unless an account with that e-mail exists; an existing
 * account (whose password may since have changed) is never touched. Returns whether it created one.
 */
export async function seedAdmin(db: Db, input: SeedAdminInput): Promise<boolean> {
  const accounts = db.collection<AccountRecord>(ACCOUNTS_COLLECTION);
  const email = normaliseEmail(input.email);
  if (await accounts.findOne({ email }, { projection: { _id: 1 } })) return false;
  const now = input.now ?? systemClock.date();
  const record = AccountRecord.parse({
    _id: `admin-${Buffer.from(email).toString('base64url').slice(0, 40)}`,
    email,
    displayName: 'Administrator',
    role: 'admin',
    passwordHash: await hashPassword(input.password),
    mustChangePassword: true,
    status: 'active',
    version: 1,
    sessionEpoch: 0,
    createdAt: now,
    updatedAt: now,
  } satisfies AccountRecord);
  try {
    await accounts.insertOne(record);
    return true;
  } catch (error) {
    // A concurrent seeder won the unique e-mail index: the account exists, which is what we wanted.
    if (/duplicate key|E11000|UNIQUE constraint/i.test(String((error as Error).message))) return false;
    throw error;
  }
}

export async function findAccountByEmail(db: Db, email: string): Promise<AccountRecord | null> {
  const stored = await db
    .collection<AccountRecord>(ACCOUNTS_COLLECTION)
    .findOne({ email: normaliseEmail(email) });
  return stored && withAccountDefaults(stored);
}
