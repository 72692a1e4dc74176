import { z } from 'zod';
import { AccountRecord } from '../../../contract/src/tenant-db/index.ts';

const stored = AccountRecord.shape;

/** The public shape of an account: never the password hash. */
export const UserSchema = z
  .object({
    id: z.string(),
    email: stored.email,
    displayName: stored.displayName,
    role: stored.role,
    status: stored.status,
    mustChangePassword: stored.mustChangePassword,
    version: stored.version,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });

export function presentUser(account: AccountRecord): z.infer<typeof UserSchema> {
  return {
    id: account._id,
    email: account.email,
    displayName: account.displayName,
    role: account.role,
    status: account.status,
    mustChangePassword: account.mustChangePassword,
    version: account.version,
    createdAt: account.createdAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
  };
}
