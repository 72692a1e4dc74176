import { type Connection, type Model, Schema } from 'mongoose';
import { z } from 'zod';

/**
 * Refresh tokens, stored only as SHA-256 hashes. A family is one login's chain of rotations:
 * presenting a token that was already rotated revokes the whole family. Every token of a family
 * carries the family's login time (its absolute lifetime runs from there) and the account's session
 * epoch at that login (a password, role or status change moves the account's on).
 */
export const RefreshTokenRecord = z.object({
  _id: z.string(),
  tokenHash: z.string(),
  familyId: z.string(),
  accountId: z.string(),
  /** When the family's login checked the password. Absent on tokens issued before it was recorded. */
  authTime: z.date().optional(),
  /** The account's `sessionEpoch` at that login. Absent (read as 0) on older tokens. */
  sessionEpoch: z.int().optional(),
  expiresAt: z.date(),
  rotatedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  createdAt: z.date(),
});
export type RefreshTokenRecord = z.infer<typeof RefreshTokenRecord>;

export const refreshTokenSchema = new Schema<RefreshTokenRecord>(
  {
    _id: { type: String, required: true },
    tokenHash: { type: String, required: true },
    familyId: { type: String, required: true },
    accountId: { type: String, required: true },
    authTime: { type: Date },
    sessionEpoch: { type: Number },
    expiresAt: { type: Date, required: true },
    rotatedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  {
    timestamps: { createdAt: true, updatedAt: false },
    versionKey: false,
    collection: 'refresh_tokens',
    strict: 'throw',
  },
);

export type RefreshTokenModel = Model<RefreshTokenRecord>;
export const compileRefreshTokenModel = (c: Connection): RefreshTokenModel =>
  c.model<RefreshTokenRecord>('RefreshToken', refreshTokenSchema);
