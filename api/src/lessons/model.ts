import { type Connection, type Model, Schema } from 'mongoose';
import { z } from 'zod';

/** A lesson as stored: the one declaration its types and shapes come from. */
export const LessonRecord = z.object({
  _id: z.string(),
  courseId: z.string(),
  title: z.string(),
  body: z.string(),
  position: z.int(),
  published: z.boolean(),
  version: z.int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type LessonRecord = z.infer<typeof LessonRecord>;

export const lessonSchema = new Schema<LessonRecord>(
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

export type LessonModel = Model<LessonRecord>;
export const compileLessonModel = (c: Connection): LessonModel =>
  c.model<LessonRecord>('Lesson', lessonSchema);
