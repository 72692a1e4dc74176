import { type Connection, type Model, Schema } from 'mongoose';

export interface AttendanceDoc {
  _id: string;
  courseId: string;
  /** Calendar date of the session, YYYY-MM-DD. */
  sessionDate: string;
  accountId: string;
  status: 'present' | 'absent' | 'late' | 'excused';
  note: string;
  recordedBy: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const attendanceSchema = new Schema<AttendanceDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    sessionDate: { type: String, required: true },
    accountId: { type: String, required: true },
    status: { type: String, enum: ['present', 'absent', 'late', 'excused'], required: true },
    note: { type: String, default: '' },
    recordedBy: { type: String, required: true },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, collection: 'attendance', strict: 'throw' },
);

export type AttendanceModel = Model<AttendanceDoc>;
export const compileAttendanceModel = (c: Connection): AttendanceModel =>
  c.model<AttendanceDoc>('Attendance', attendanceSchema);
