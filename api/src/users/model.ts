import { type Connection, type Model, Schema } from 'mongoose';
import { ACCOUNTS_COLLECTION } from '../../../contract/src/tenant-db/index.ts';

/** The tenant's accounts: the same collection and fields the operator's admin seed writes. */
export interface AccountDoc {
  _id: string;
  email: string;
  displayName: string;
  role: 'admin' | 'teacher' | 'student';
  passwordHash: string;
  mustChangePassword: boolean;
  status: 'active' | 'deactivated';
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const accountSchema = new Schema<AccountDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    displayName: { type: String, default: '' },
    role: { type: String, enum: ['admin', 'teacher', 'student'], required: true },
    passwordHash: { type: String, required: true },
    mustChangePassword: { type: Boolean, default: false },
    status: { type: String, enum: ['active', 'deactivated'], default: 'active' },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, collection: ACCOUNTS_COLLECTION, strict: 'throw' },
);

export type AccountModel = Model<AccountDoc>;
export const compileAccountModel = (c: Connection): AccountModel =>
  c.model<AccountDoc>('Account', accountSchema);
