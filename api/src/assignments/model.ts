import { type Connection, type Model, Schema } from 'mongoose';
import { z } from 'zod';

export const LatePolicy = z.object({
  acceptLate: z.boolean(),
  /** Percent of the points deducted per day late. */
  penaltyPercentPerDay: z.number(),
  /** Late submissions are refused after this many days; null for no limit. */
  maxLateDays: z.int().nullable(),
});
export type LatePolicy = z.infer<typeof LatePolicy>;

/** Most assignments one course may have: every gradebook row holds one cell per assignment. */
export const MAX_ASSIGNMENTS_PER_COURSE = 500;

/** An assignment as stored: the one declaration its types and shapes come from. */
export const AssignmentRecord = z.object({
  _id: z.string(),
  courseId: z.string(),
  title: z.string(),
  description: z.string(),
  dueAt: z.date().nullable(),
  pointsPossible: z.number(),
  latePolicy: LatePolicy,
  maxAttempts: z.int().nullable(),
  published: z.boolean(),
  version: z.int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type AssignmentRecord = z.infer<typeof AssignmentRecord>;

export const assignmentSchema = new Schema<AssignmentRecord>(
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

export type AssignmentModel = Model<AssignmentRecord>;
export const compileAssignmentModel = (c: Connection): AssignmentModel =>
  c.model<AssignmentRecord>('Assignment', assignmentSchema);
