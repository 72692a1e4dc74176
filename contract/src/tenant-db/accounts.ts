import type { Db } from 'mongodb';
import { z } from 'zod';
import { hashPassword } from './passwords.ts';

/** An account in a tenant's own database (collection `accounts`). Passwords only as scrypt hashes. */
export const ACCOUNTS_COLLECTION = 'accounts';

export const Role = z.enum(['student', 'teacher', 'admin']);
export type Role = z.infer<typeof Role>;

export const AccountRecord = z.strictObject({
  _id: z.string().min(1),
  email: z.string().min(3).max(254),
  displayName: z.string().max(200),
  role: Role,
  passwordHash: z.string().startsWith('scrypt$'),
  /** Set for a generated password: the first login must choose a new one. */
  mustChangePassword: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type AccountRecord = z.infer<typeof AccountRecord>;

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
  const now = input.now ?? new Date();
  const record = AccountRecord.parse({
    _id: `admin-${Buffer.from(email).toString('base64url').slice(0, 40)}`,
    email,
    displayName: 'Administrator',
    role: 'admin',
    passwordHash: await hashPassword(input.password),
    mustChangePassword: true,
    createdAt: now,
    updatedAt: now,
  });
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
  return db.collection<AccountRecord>(ACCOUNTS_COLLECTION).findOne({ email: normaliseEmail(email) });
}
