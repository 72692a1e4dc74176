import { z } from 'zod';
import { isUniqueViolation } from '../../../contract/src/mongo-errors.ts';
import { courseStaffAccess } from '../courses/access.ts';
import { CourseId } from '../courses/routes.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { IfMatchHeader, updateVersioned } from '../http/etag.ts';
import { listQuery, paginate } from '../http/pagination.ts';
import { createOnce } from '../http/request-ids.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import { EnrollmentRecord, EnrollmentRole, EnrollmentState, MAX_ENROLLMENTS_PER_ACCOUNT } from './model.ts';

const stored = EnrollmentRecord.shape;

export const EnrollmentSchema = z
  .object({
    id: z.string(),
    courseId: stored.courseId,
    userId: stored.accountId,
    role: stored.role,
    state: stored.state,
    version: stored.version,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Enrollment' });
const EnrollmentList = z.object({ items: z.array(EnrollmentSchema) }).meta({ id: 'EnrollmentList' });

const EnrollmentCreate = z.strictObject({ userId: z.uuid(), role: EnrollmentRole });
const EnrollmentPatch = z.strictObject({ state: EnrollmentState });
const EnrollmentPath = CourseId.extend({ enrollmentId: z.uuid() });

export function presentEnrollment(e: EnrollmentRecord): z.infer<typeof EnrollmentSchema> {
  return {
    id: e._id,
    courseId: e.courseId,
    userId: e.accountId,
    role: e.role,
    state: e.state,
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export function enrollmentRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/courses/{courseId}/enrollments',
      operationId: 'listEnrollments',
      summary: "A course's roster (its teachers and admins)",
      tag: 'enrollments',
      access: ['admin', 'teacher'],
      params: CourseId,
      query: listQuery(['createdAt'], { role: EnrollmentRole.optional(), state: EnrollmentState.optional() }),
      responses: { 200: { description: 'A page of enrollments', schema: EnrollmentList } },
      handler: async (ctx, { params, query }) => {
        await courseStaffAccess(ctx, params.courseId);
        const filter: Record<string, unknown> = { courseId: params.courseId };
        if (query.role) filter.role = query.role;
        if (query.state) filter.state = query.state;
        ctx.body = await paginate(ctx, ctx.state.db.models.Enrollment, filter, query, {
          present: presentEnrollment,
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/courses/{courseId}/enrollments',
      operationId: 'createEnrollment',
      summary: 'Enroll an account as teacher or student',
      tag: 'enrollments',
      access: ['admin', 'teacher'],
      params: CourseId,
      body: EnrollmentCreate,
      responses: { 201: { description: 'Enrolled', schema: EnrollmentSchema } },
      problems: ['conflict', 'enrollment-limit-reached'],
      handler: async (ctx, { params, body }) => {
        await courseStaffAccess(ctx, params.courseId);
        const { Account, Enrollment } = ctx.state.db.models;
        const account = await Account.findById(body.userId, { status: 1 }).lean();
        if (!account || account.status === 'deactivated') {
          throw new ApiProblem('validation-failed', {
            issues: [
              { path: ['body', 'userId'], code: 'unknown_user', message: 'no active account with this id' },
            ],
          });
        }
        const id = ctx.state.ids.next();
        // Not counting the one an earlier attempt of this request may have stored.
        const held = await Enrollment.countDocuments({
          accountId: body.userId,
          state: { $in: ['active', 'completed'] },
          _id: { $ne: id },
        });
        if (held >= MAX_ENROLLMENTS_PER_ACCOUNT) throw new ApiProblem('enrollment-limit-reached');
        try {
          const { record: created } = await createOnce(ctx.state.ids, Enrollment, {
            _id: id,
            courseId: params.courseId,
            accountId: body.userId,
            role: body.role,
            state: 'active',
            version: 1,
          });
          ctx.status = 201;
          ctx.set('Location', `/v1/courses/${params.courseId}/enrollments/${created._id}`);
          ctx.body = presentEnrollment(created);
        } catch (error) {
          if (isUniqueViolation(error))
            throw new ApiProblem('conflict', { detail: 'Already enrolled in this course' });
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/courses/{courseId}/enrollments/{enrollmentId}',
      operationId: 'updateEnrollment',
      summary: 'Complete or drop an enrollment, with If-Match',
      tag: 'enrollments',
      access: ['admin', 'teacher'],
      params: EnrollmentPath,
      headers: IfMatchHeader,
      body: EnrollmentPatch,
      responses: { 200: { description: 'Updated', schema: EnrollmentSchema } },
      problems: ['precondition-failed', 'precondition-required'],
      handler: async (ctx, { params, body }) => {
        await courseStaffAccess(ctx, params.courseId);
        const updated = await updateVersioned(
          ctx,
          ctx.state.db.models.Enrollment,
          { _id: params.enrollmentId, courseId: params.courseId },
          { state: body.state },
        );
        ctx.body = presentEnrollment(updated);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/me/enrollments',
      operationId: 'listMyEnrollments',
      summary: 'Your own enrollments',
      tag: 'enrollments',
      access: ['admin', 'teacher', 'student'],
      query: listQuery(['createdAt'], { state: EnrollmentState.optional() }),
      responses: { 200: { description: 'A page of enrollments', schema: EnrollmentList } },
      handler: async (ctx, { query }) => {
        const filter: Record<string, unknown> = { accountId: ctx.state.principal?.userId };
        if (query.state) filter.state = query.state;
        ctx.body = await paginate(ctx, ctx.state.db.models.Enrollment, filter, query, {
          present: presentEnrollment,
        });
      },
    }),
  ];
}
