import { type Connection, type Model, Schema } from 'mongoose';
import { z } from 'zod';

export const CourseState = z.enum(['draft', 'published', 'archived']);

/** A course as stored in the tenant database: the one declaration its types and shapes come from. */
export const CourseRecord = z.object({
  _id: z.string(),
  title: z.string(),
  code: z.string(),
  description: z.string(),
  state: CourseState,
  createdBy: z.string().nullable(),
  version: z.int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type CourseRecord = z.infer<typeof CourseRecord>;

export const courseSchema = new Schema<CourseRecord>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    code: { type: String, required: true },
    description: { type: String, default: '' },
    state: { type: String, enum: CourseState.options, default: 'draft' },
    createdBy: { type: String, default: null },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, collection: 'courses', strict: 'throw' },
);

export type CourseModel = Model<CourseRecord>;
export const compileCourseModel = (c: Connection): CourseModel =>
  c.model<CourseRecord>('Course', courseSchema);
