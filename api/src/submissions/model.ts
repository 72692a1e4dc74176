import { type Connection, type Model, Schema } from 'mongoose';

/** A student's attempt at an assignment; its grade (score, feedback) lives on it. */
export interface SubmissionDoc {
  _id: string;
  courseId: string;
  assignmentId: string;
  accountId: string;
  attempt: number;
  body: string;
  submittedAt: Date;
  late: boolean;
  daysLate: number;
  workflowState: 'submitted' | 'graded' | 'returned';
  score: number | null;
  /** Score after the late penalty: what the gradebook counts. */
  finalScore: number | null;
  feedback: string;
  gradedBy: string | null;
  gradedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const submissionSchema = new Schema<SubmissionDoc>(
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
    workflowState: { type: String, enum: ['submitted', 'graded', 'returned'], default: 'submitted' },
    score: { type: Number, default: null },
    finalScore: { type: Number, default: null },
    feedback: { type: String, default: '' },
    gradedBy: { type: String, default: null },
    gradedAt: { type: Date, default: null },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, collection: 'submissions', strict: 'throw' },
);

export type SubmissionModel = Model<SubmissionDoc>;
export const compileSubmissionModel = (c: Connection): SubmissionModel =>
  c.model<SubmissionDoc>('Submission', submissionSchema);
