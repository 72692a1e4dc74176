import { type Connection, type Model, Schema } from 'mongoose';

export interface EnrollmentDoc {
  _id: string;
  courseId: string;
  accountId: string;
  role: 'teacher' | 'student';
  state: 'active' | 'completed' | 'dropped';
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const enrollmentSchema = new Schema<EnrollmentDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    accountId: { type: String, required: true },
    role: { type: String, enum: ['teacher', 'student'], required: true },
    state: { type: String, enum: ['active', 'completed', 'dropped'], default: 'active' },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, collection: 'enrollments', strict: 'throw' },
);

export type EnrollmentModel = Model<EnrollmentDoc>;
export const compileEnrollmentModel = (c: Connection): EnrollmentModel =>
  c.model<EnrollmentDoc>('Enrollment', enrollmentSchema);
