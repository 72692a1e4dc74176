import { type Connection, type Model, Schema } from 'mongoose';

/**
 * Refresh tokens, stored only as SHA-256 hashes. A family is one login's chain of rotations:
 * presenting a token that was already rotated revokes the whole family.
 */
export interface RefreshTokenDoc {
  _id: string;
  tokenHash: string;
  familyId: string;
  accountId: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export const refreshTokenSchema = new Schema<RefreshTokenDoc>(
  {
    _id: { type: String, required: true },
    tokenHash: { type: String, required: true },
    familyId: { type: String, required: true },
    accountId: { type: String, required: true },
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

export type RefreshTokenModel = Model<RefreshTokenDoc>;
export const compileRefreshTokenModel = (c: Connection): RefreshTokenModel =>
  c.model<RefreshTokenDoc>('RefreshToken', refreshTokenSchema);
