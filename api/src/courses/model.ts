import { type Connection, type Model, Schema } from 'mongoose';

export interface CourseDoc {
  _id: string;
  title: string;
  code: string;
  description: string;
  state: 'draft' | 'published' | 'archived';
  createdBy: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const courseSchema = new Schema<CourseDoc>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    code: { type: String, required: true },
    description: { type: String, default: '' },
    state: { type: String, enum: ['draft', 'published', 'archived'], default: 'draft' },
    createdBy: { type: String, default: null },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, collection: 'courses', strict: 'throw' },
);

export type CourseModel = Model<CourseDoc>;
export const compileCourseModel = (c: Connection): CourseModel => c.model<CourseDoc>('Course', courseSchema);
