import { type Connection, type Model, Schema } from 'mongoose';

export interface LessonDoc {
  _id: string;
  courseId: string;
  title: string;
  body: string;
  position: number;
  published: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const lessonSchema = new Schema<LessonDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    position: { type: Number, required: true },
    published: { type: Boolean, default: false },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, collection: 'lessons', strict: 'throw' },
);

export type LessonModel = Model<LessonDoc>;
export const compileLessonModel = (c: Connection): LessonModel => c.model<LessonDoc>('Lesson', lessonSchema);
