import { type Connection, type Model, Schema } from 'mongoose';
import { z } from 'zod';

export const AttendanceStatus = z.enum(['present', 'absent', 'late', 'excused']);

/** One student at one session of a course, as stored: the one declaration its types and shapes come from. */
export const AttendanceRecord = z.object({
  _id: z.string(),
  courseId: z.string(),
  /** Calendar date of the session, YYYY-MM-DD. */
  sessionDate: z.string(),
  accountId: z.string(),
  status: AttendanceStatus,
  note: z.string(),
  recordedBy: z.string(),
  version: z.int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type AttendanceRecord = z.infer<typeof AttendanceRecord>;

export const attendanceSchema = new Schema<AttendanceRecord>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    sessionDate: { type: String, required: true },
    accountId: { type: String, required: true },
    status: { type: String, enum: AttendanceStatus.options, required: true },
    note: { type: String, default: '' },
    recordedBy: { type: String, required: true },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, collection: 'attendance', strict: 'throw' },
);

export type AttendanceModel = Model<AttendanceRecord>;
export const compileAttendanceModel = (c: Connection): AttendanceModel =>
  c.model<AttendanceRecord>('Attendance', attendanceSchema);
