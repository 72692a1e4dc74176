import { type Connection, type Model, Schema } from 'mongoose';
import { z } from 'zod';
import { Role } from '../../../contract/src/tenant-db/index.ts';

/** How an account takes part in a course. */
export const EnrollmentRole = Role.exclude(['admin']);
export const EnrollmentState = z.enum(['active', 'completed', 'dropped']);

/**
 * Most active (or completed) enrollments one account may have: a course list reads them all to
 * know which courses the account may see.
 */
export const MAX_ENROLLMENTS_PER_ACCOUNT = 1_000;

/** An account's place in a course, as stored: the one declaration its types and shapes come from. */
export const EnrollmentRecord = z.object({
  _id: z.string(),
  courseId: z.string(),
  accountId: z.string(),
  role: EnrollmentRole,
  state: EnrollmentState,
  version: z.int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type EnrollmentRecord = z.infer<typeof EnrollmentRecord>;

export const enrollmentSchema = new Schema<EnrollmentRecord>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    accountId: { type: String, required: true },
    role: { type: String, enum: EnrollmentRole.options, required: true },
    state: { type: String, enum: EnrollmentState.options, default: 'active' },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, collection: 'enrollments', strict: 'throw' },
);

export type EnrollmentModel = Model<EnrollmentRecord>;
export const compileEnrollmentModel = (c: Connection): EnrollmentModel =>
  c.model<EnrollmentRecord>('Enrollment', enrollmentSchema);
