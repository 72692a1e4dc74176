import { z } from 'zod';
import { isUniqueViolation } from '../../../contract/src/mongo-errors.ts';
import { MAX_ENROLLMENTS_PER_ACCOUNT } from '../enrollments/model.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { etag, IfMatchHeader, updateVersioned } from '../http/etag.ts';
import { listQuery, paginate } from '../http/pagination.ts';
import { createOnce } from '../http/request-ids.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import { courseAccess, courseStaffAccess } from './access.ts';
import { CourseRecord, CourseState } from './model.ts';

const stored = CourseRecord.shape;

export const CourseSchema = z
  .object({
    id: z.string(),
    title: stored.title,
    code: stored.code,
    description: stored.description,
    state: stored.state,
    version: stored.version,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Course' });

const CourseCreate = z.strictObject({
  title: z.string().trim().min(1).max(200),
  code: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ -'),
  description: z.string().max(10_000).default(''),
  state: CourseState.default('draft'),
});
const CoursePatch = CourseCreate.partial().strict();
export const CourseId = z.object({ courseId: z.uuid() });

export function presentCourse(course: CourseRecord): z.infer<typeof CourseSchema> {
  return {
    id: course._id,
    title: course.title,
    code: course.code,
    description: course.description,
    state: course.state,
    version: course.version,
    createdAt: course.createdAt.toISOString(),
    updatedAt: course.updatedAt.toISOString(),
  };
}

const duplicateCode = (error: unknown) =>
  isUniqueViolation(error) ? new ApiProblem('conflict', { detail: 'A course with this code exists' }) : error;

export function courseRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/courses',
      operationId: 'listCourses',
      summary: 'Courses: every course for admins, the enrolled ones for everyone else',
      tag: 'courses',
      access: ['admin', 'teacher', 'student'],
      query: listQuery(['createdAt', 'title', 'code'], { state: CourseState.optional() }),
      responses: {
        200: { description: 'A page of courses', schema: z.object({ items: z.array(CourseSchema) }) },
      },
      handler: async (ctx, { query }) => {
        const { Course, Enrollment } = ctx.state.db.models;
        const principal = ctx.state.principal;
        const filter: Record<string, unknown> = {};
        if (query.state) filter.state = query.state;
        if (!principal?.roles.includes('admin')) {
          // Bounded: an account holds at most MAX_ENROLLMENTS_PER_ACCOUNT (enrollments/model.ts).
          const enrolled = await Enrollment.find(
            { accountId: principal?.userId, state: { $in: ['active', 'completed'] } },
            { courseId: 1 },
          )
            .limit(MAX_ENROLLMENTS_PER_ACCOUNT)
            .lean();
          filter._id = { $in: enrolled.map((e) => e.courseId) };
        }
        ctx.body = await paginate(ctx, Course, filter, query, { present: presentCourse });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/courses',
      operationId: 'createCourse',
      summary: 'Create a course; a teacher who creates one is enrolled as its teacher',
      tag: 'courses',
      access: ['admin', 'teacher'],
      body: CourseCreate,
      responses: {
        201: { description: 'Created', schema: CourseSchema, headers: { Location: 'The new course' } },
      },
      problems: ['conflict'],
      handler: async (ctx, { body }) => {
        const { principal, ids } = ctx.state;
        const { Course, Enrollment } = ctx.state.db.models;
        const { record: course } = await createOnce(ids, Course, {
          _id: ids.next(),
          ...body,
          createdBy: principal?.userId ?? null,
          version: 1,
        }).catch((error: unknown) => {
          throw duplicateCode(error);
        });
        if (principal && !principal.roles.includes('admin')) {
          await createOnce(ids, Enrollment, {
            _id: ids.next(),
            courseId: course._id,
            accountId: principal.userId,
            role: 'teacher',
            state: 'active',
            version: 1,
          });
        }
        ctx.status = 201;
        ctx.set('Location', `/v1/courses/${course._id}`);
        ctx.set('ETag', etag(course.version));
        ctx.body = presentCourse(course);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/courses/{courseId}',
      operationId: 'getCourse',
      summary: 'One course you can see',
      tag: 'courses',
      access: ['admin', 'teacher', 'student'],
      params: CourseId,
      responses: { 200: { description: 'The course', schema: CourseSchema } },
      handler: async (ctx, { params }) => {
        const { course } = await courseAccess(ctx, params.courseId);
        ctx.set('ETag', etag(course.version));
        ctx.body = presentCourse(course);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/courses/{courseId}',
      operationId: 'updateCourse',
      summary: 'Change a course (its teachers and admins), with If-Match',
      tag: 'courses',
      access: ['admin', 'teacher'],
      params: CourseId,
      headers: IfMatchHeader,
      body: CoursePatch,
      responses: { 200: { description: 'Updated', schema: CourseSchema } },
      problems: ['conflict', 'precondition-failed', 'precondition-required'],
      handler: async (ctx, { params, body }) => {
        await courseStaffAccess(ctx, params.courseId);
        const updated = await updateVersioned(
          ctx,
          ctx.state.db.models.Course,
          { _id: params.courseId },
          body,
        ).catch((error: unknown) => {
          throw duplicateCode(error);
        });
        ctx.body = presentCourse(updated);
      },
    }),
  ];
}
