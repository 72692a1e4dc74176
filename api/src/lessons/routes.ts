import { z } from 'zod';
import { courseAccess, courseStaffAccess } from '../courses/access.ts';
import { CourseId } from '../courses/routes.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { etag, IfMatchHeader, updateVersioned } from '../http/etag.ts';
import { listQuery, paginate } from '../http/pagination.ts';
import { createOnce } from '../http/request-ids.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import { LessonRecord } from './model.ts';

const stored = LessonRecord.shape;

export const LessonSchema = z
  .object({
    id: z.string(),
    courseId: stored.courseId,
    title: stored.title,
    body: stored.body,
    position: stored.position,
    published: stored.published,
    version: stored.version,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Lesson' });

const LessonCreate = z.strictObject({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(100_000).default(''),
  position: z.int().min(0).max(100_000).optional().meta({ description: 'Defaults to after the last lesson' }),
  published: z.boolean().default(false),
});
const LessonPatch = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  body: z.string().max(100_000).optional(),
  position: z.int().min(0).max(100_000).optional(),
  published: z.boolean().optional(),
});
const LessonPath = CourseId.extend({ lessonId: z.uuid() });

const present = (l: LessonRecord): z.infer<typeof LessonSchema> => ({
  id: l._id,
  courseId: l.courseId,
  title: l.title,
  body: l.body,
  position: l.position,
  published: l.published,
  version: l.version,
  createdAt: l.createdAt.toISOString(),
  updatedAt: l.updatedAt.toISOString(),
});

/** Lessons, ordered within their course by `position`; students see published ones only. */
export function lessonRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/courses/{courseId}/lessons',
      operationId: 'listLessons',
      summary: "A course's lessons in order",
      tag: 'lessons',
      access: ['admin', 'teacher', 'student'],
      params: CourseId,
      query: listQuery(['position', 'createdAt'], {}),
      responses: {
        200: { description: 'A page of lessons', schema: z.object({ items: z.array(LessonSchema) }) },
      },
      handler: async (ctx, { params, query }) => {
        const access = await courseAccess(ctx, params.courseId);
        const filter: Record<string, unknown> = { courseId: params.courseId };
        if (access.role === 'student') filter.published = true;
        ctx.body = await paginate(ctx, ctx.state.db.models.Lesson, filter, query, { present });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/courses/{courseId}/lessons',
      operationId: 'createLesson',
      summary: 'Add a lesson',
      tag: 'lessons',
      access: ['admin', 'teacher'],
      params: CourseId,
      body: LessonCreate,
      responses: { 201: { description: 'Created', schema: LessonSchema } },
      handler: async (ctx, { params, body }) => {
        await courseStaffAccess(ctx, params.courseId);
        const { Lesson } = ctx.state.db.models;
        const last = await Lesson.findOne({ courseId: params.courseId }).sort({ position: -1 }).lean();
        const { record: created } = await createOnce(ctx.state.ids, Lesson, {
          _id: ctx.state.ids.next(),
          courseId: params.courseId,
          ...body,
          position: body.position ?? (last ? last.position + 1 : 0),
          version: 1,
        });
        ctx.status = 201;
        ctx.set('Location', `/v1/courses/${params.courseId}/lessons/${created._id}`);
        ctx.body = present(created);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/courses/{courseId}/lessons/{lessonId}',
      operationId: 'getLesson',
      summary: 'One lesson',
      tag: 'lessons',
      access: ['admin', 'teacher', 'student'],
      params: LessonPath,
      responses: { 200: { description: 'The lesson', schema: LessonSchema } },
      handler: async (ctx, { params }) => {
        const access = await courseAccess(ctx, params.courseId);
        const lesson = await ctx.state.db.models.Lesson.findOne({
          _id: params.lessonId,
          courseId: params.courseId,
        }).lean();
        if (!lesson || (access.role === 'student' && !lesson.published)) throw new ApiProblem('not-found');
        ctx.set('ETag', etag(lesson.version));
        ctx.body = present(lesson);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/courses/{courseId}/lessons/{lessonId}',
      operationId: 'updateLesson',
      summary: 'Change or move a lesson, with If-Match',
      tag: 'lessons',
      access: ['admin', 'teacher'],
      params: LessonPath,
      headers: IfMatchHeader,
      body: LessonPatch,
      responses: { 200: { description: 'Updated', schema: LessonSchema } },
      problems: ['precondition-failed', 'precondition-required'],
      handler: async (ctx, { params, body }) => {
        await courseStaffAccess(ctx, params.courseId);
        const updated = await updateVersioned(
          ctx,
          ctx.state.db.models.Lesson,
          { _id: params.lessonId, courseId: params.courseId },
          body,
        );
        ctx.body = present(updated);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/courses/{courseId}/lessons/{lessonId}',
      operationId: 'deleteLesson',
      summary: 'Remove a lesson',
      tag: 'lessons',
      access: ['admin', 'teacher'],
      params: LessonPath,
      responses: { 204: { description: 'Removed' } },
      handler: async (ctx, { params }) => {
        await courseStaffAccess(ctx, params.courseId);
        const result = await ctx.state.db.models.Lesson.deleteOne({
          _id: params.lessonId,
          courseId: params.courseId,
        });
        if (result.deletedCount === 0) throw new ApiProblem('not-found');
        ctx.status = 204;
      },
    }),
  ];
}
