import { type Connection, type Model, Schema } from 'mongoose';
import { z } from 'zod';

export const WorkflowState = z.enum(['submitted', 'graded', 'returned']);

/**
 * Most attempts one student may submit at one assignment, whatever its `maxAttempts`: every attempt
 * is stored (up to 100 KB each) and read by the teacher's lists.
 */
export const MAX_ATTEMPTS = 100;

/**
 * A student's attempt at an assignment, as stored; its grade (score, feedback) lives on it. The
 * one declaration its types and shapes come from.
 */
export const SubmissionRecord = z.object({
  _id: z.string(),
  courseId: z.string(),
  assignmentId: z.string(),
  accountId: z.string(),
  attempt: z.int(),
  body: z.string(),
  submittedAt: z.date(),
  late: z.boolean(),
  daysLate: z.int(),
  workflowState: WorkflowState,
  score: z.number().nullable(),
  /** Score after the late penalty: what the gradebook counts. */
  finalScore: z.number().nullable(),
  feedback: z.string(),
  gradedBy: z.string().nullable(),
  gradedAt: z.date().nullable(),
  /** Set when a later attempt arrives; the gradebook reads only attempts where it is null. */
  supersededAt: z.date().nullable(),
  version: z.int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type SubmissionRecord = z.infer<typeof SubmissionRecord>;

export const submissionSchema = new Schema<SubmissionRecord>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    assignmentId: { type: String, required: true },
    accountId: { type: String, required: true },
    attempt: { type: Number, required: true },
    body: { type: String, default: '' },
    submittedAt: { type: Date, required: true },
    late: { type: Boolean, default: false },
    daysLate: { type: Number, default: 0 },
    workflowState: { type: String, enum: WorkflowState.options, default: 'submitted' },
    score: { type: Number, default: null },
    finalScore: { type: Number, default: null },
    feedback: { type: String, default: '' },
    gradedBy: { type: String, default: null },
    gradedAt: { type: Date, default: null },
    supersededAt: { type: Date, default: null },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, collection: 'submissions', strict: 'throw' },
);

export type SubmissionModel = Model<SubmissionRecord>;
export const compileSubmissionModel = (c: Connection): SubmissionModel =>
  c.model<SubmissionRecord>('Submission', submissionSchema);
