import { z } from 'zod';
import { courseAccess, courseStaffAccess } from '../courses/access.ts';
import { CourseId } from '../courses/routes.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { etag, IfMatchHeader, updateVersioned } from '../http/etag.ts';
import { listQuery, paginate } from '../http/pagination.ts';
import { createOnce } from '../http/request-ids.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import { AssignmentRecord, MAX_ASSIGNMENTS_PER_COURSE } from './model.ts';

const LatePolicySchema = z
  .strictObject({
    acceptLate: z.boolean().default(true),
    penaltyPercentPerDay: z.number().min(0).max(100).default(0),
    maxLateDays: z.int().min(0).max(365).nullable().default(null),
  })
  .meta({ id: 'LatePolicy' });

const stored = AssignmentRecord.shape;

export const AssignmentSchema = z
  .object({
    id: z.string(),
    courseId: stored.courseId,
    title: stored.title,
    description: stored.description,
    dueAt: z.iso.datetime().nullable(),
    pointsPossible: stored.pointsPossible,
    latePolicy: stored.latePolicy,
    maxAttempts: stored.maxAttempts,
    published: stored.published,
    version: stored.version,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Assignment' });

const AssignmentCreate = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(100_000).default(''),
  dueAt: z.iso.datetime({ offset: true }).nullable().default(null),
  pointsPossible: z.number().min(0).max(10_000),
  latePolicy: LatePolicySchema.default({ acceptLate: true, penaltyPercentPerDay: 0, maxLateDays: null }),
  maxAttempts: z.int().min(1).max(100).nullable().default(null),
  published: z.boolean().default(false),
});
const AssignmentPatch = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(100_000).optional(),
  dueAt: z.iso.datetime({ offset: true }).nullable().optional(),
  pointsPossible: z.number().min(0).max(10_000).optional(),
  latePolicy: LatePolicySchema.optional(),
  maxAttempts: z.int().min(1).max(100).nullable().optional(),
  published: z.boolean().optional(),
});
export const AssignmentPath = CourseId.extend({ assignmentId: z.uuid() });

export const presentAssignment = (a: AssignmentRecord): z.infer<typeof AssignmentSchema> => ({
  id: a._id,
  courseId: a.courseId,
  title: a.title,
  description: a.description,
  dueAt: a.dueAt ? a.dueAt.toISOString() : null,
  pointsPossible: a.pointsPossible,
  latePolicy: {
    acceptLate: a.latePolicy.acceptLate,
    penaltyPercentPerDay: a.latePolicy.penaltyPercentPerDay,
    maxLateDays: a.latePolicy.maxLateDays ?? null,
  },
  maxAttempts: a.maxAttempts ?? null,
  published: a.published,
  version: a.version,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

const toDates = <T extends { dueAt?: string | null }>(body: T) => ({
  ...body,
  ...(body.dueAt !== undefined ? { dueAt: body.dueAt === null ? null : new Date(body.dueAt) } : {}),
});

export function assignmentRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/courses/{courseId}/assignments',
      operationId: 'listAssignments',
      summary: "A course's assignments; students see published ones",
      tag: 'assignments',
      access: ['admin', 'teacher', 'student'],
      params: CourseId,
      query: listQuery(['dueAt', 'createdAt', 'title'], {}),
      responses: {
        200: { description: 'A page of assignments', schema: z.object({ items: z.array(AssignmentSchema) }) },
      },
      handler: async (ctx, { params, query }) => {
        const access = await courseAccess(ctx, params.courseId);
        const filter: Record<string, unknown> = { courseId: params.courseId };
        if (access.role === 'student') filter.published = true;
        ctx.body = await paginate(ctx, ctx.state.db.models.Assignment, filter, query, {
          present: presentAssignment,
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/courses/{courseId}/assignments',
      operationId: 'createAssignment',
      summary: `Create an assignment (a course has at most ${MAX_ASSIGNMENTS_PER_COURSE})`,
      tag: 'assignments',
      access: ['admin', 'teacher'],
      params: CourseId,
      body: AssignmentCreate,
      responses: { 201: { description: 'Created', schema: AssignmentSchema } },
      problems: ['assignment-limit-reached'],
      handler: async (ctx, { params, body }) => {
        await courseStaffAccess(ctx, params.courseId);
        const { Assignment } = ctx.state.db.models;
        const id = ctx.state.ids.next();
        // Not counting the one an earlier attempt of this request may have stored.
        if (
          (await Assignment.countDocuments({ courseId: params.courseId, _id: { $ne: id } })) >=
          MAX_ASSIGNMENTS_PER_COURSE
        ) {
          throw new ApiProblem('assignment-limit-reached');
        }
        const { record: created } = await createOnce(ctx.state.ids, Assignment, {
          _id: id,
          courseId: params.courseId,
          ...toDates(body),
          version: 1,
        });
        ctx.status = 201;
        ctx.set('Location', `/v1/courses/${params.courseId}/assignments/${created._id}`);
        ctx.body = presentAssignment(created);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/courses/{courseId}/assignments/{assignmentId}',
      operationId: 'getAssignment',
      summary: 'One assignment',
      tag: 'assignments',
      access: ['admin', 'teacher', 'student'],
      params: AssignmentPath,
      responses: { 200: { description: 'The assignment', schema: AssignmentSchema } },
      handler: async (ctx, { params }) => {
        const access = await courseAccess(ctx, params.courseId);
        const found = await ctx.state.db.models.Assignment.findOne({
          _id: params.assignmentId,
          courseId: params.courseId,
        }).lean();
        if (!found || (access.role === 'student' && !found.published)) throw new ApiProblem('not-found');
        ctx.set('ETag', etag(found.version));
        ctx.body = presentAssignment(found);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/courses/{courseId}/assignments/{assignmentId}',
      operationId: 'updateAssignment',
      summary: 'Change an assignment, with If-Match',
      tag: 'assignments',
      access: ['admin', 'teacher'],
      params: AssignmentPath,
      headers: IfMatchHeader,
      body: AssignmentPatch,
      responses: { 200: { description: 'Updated', schema: AssignmentSchema } },
      problems: ['precondition-failed', 'precondition-required'],
      handler: async (ctx, { params, body }) => {
        await courseStaffAccess(ctx, params.courseId);
        const updated = await updateVersioned(
          ctx,
          ctx.state.db.models.Assignment,
          { _id: params.assignmentId, courseId: params.courseId },
          toDates(body),
        );
        ctx.body = presentAssignment(updated);
      },
    }),
  ];
}
