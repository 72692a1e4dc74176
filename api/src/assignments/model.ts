import { type Connection, type Model, Schema } from 'mongoose';

export interface LatePolicy {
  acceptLate: boolean;
  /** Percent of the points deducted per day late. */
  penaltyPercentPerDay: number;
  /** Late submissions are refused after this many days; null for no limit. */
  maxLateDays: number | null;
}

export interface AssignmentDoc {
  _id: string;
  courseId: string;
  title: string;
  description: string;
  dueAt: Date | null;
  pointsPossible: number;
  latePolicy: LatePolicy;
  maxAttempts: number | null;
  published: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const assignmentSchema = new Schema<AssignmentDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    dueAt: { type: Date, default: null },
    pointsPossible: { type: Number, required: true },
    latePolicy: {
      acceptLate: { type: Boolean, default: true },
      penaltyPercentPerDay: { type: Number, default: 0 },
      maxLateDays: { type: Number, default: null },
    },
    maxAttempts: { type: Number, default: null },
    published: { type: Boolean, default: false },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, collection: 'assignments', strict: 'throw' },
);

export type AssignmentModel = Model<AssignmentDoc>;
export const compileAssignmentModel = (c: Connection): AssignmentModel =>
  c.model<AssignmentDoc>('Assignment', assignmentSchema);
