import { z } from 'zod';
import type { AccountDoc } from './model.ts';

export const RoleSchema = z.enum(['admin', 'teacher', 'student']);

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    status: z.enum(['active', 'deactivated']),
    mustChangePassword: z.boolean(),
    version: z.int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });

/** The public shape of an account: never the password hash. */
export function presentUser(account: AccountDoc): z.infer<typeof UserSchema> {
  return {
    id: account._id,
    email: account.email,
    displayName: account.displayName,
    role: account.role,
    status: account.status ?? 'active',
    mustChangePassword: account.mustChangePassword,
    version: account.version ?? 1,
    createdAt: account.createdAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
  };
}
