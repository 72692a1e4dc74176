import { type Connection, type Model, Schema } from 'mongoose';
import {
  ACCOUNTS_COLLECTION,
  type AccountRecord,
  AccountStatus,
  Role,
  withAccountDefaults,
} from '../../../contract/src/tenant-db/index.ts';

/**
 * The tenant's accounts, mapped onto mongoose. The record itself is the contract's
 * (contract/src/tenant-db): the operator's admin seed writes the same one.
 */
export const accountSchema = new Schema<AccountRecord>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    displayName: { type: String, default: '' },
    role: { type: String, enum: Role.options, required: true },
    passwordHash: { type: String, required: true },
    mustChangePassword: { type: Boolean, default: false },
    status: { type: String, enum: AccountStatus.options, default: 'active' },
    version: { type: Number, default: 1 },
    sessionEpoch: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false, collection: ACCOUNTS_COLLECTION, strict: 'throw' },
);

// Reads are lean (no mongoose defaults): accounts seeded before `status` and `version` existed get
// them here, so the rest of the API sees the record the contract declares.
accountSchema.post(['find', 'findOne', 'findOneAndUpdate'], (result: unknown) => {
  for (const stored of Array.isArray(result) ? result : [result]) {
    if (stored && typeof stored === 'object') withAccountDefaults(stored);
  }
});

export type AccountModel = Model<AccountRecord>;
export const compileAccountModel = (c: Connection): AccountModel =>
  c.model<AccountRecord>('Account', accountSchema);
