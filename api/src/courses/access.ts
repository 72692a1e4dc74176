import type { ParameterizedContext } from 'koa';
import type { Role } from '../../../contract/src/tenant-db/index.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import type { TenantState } from '../tenancy/state.ts';
import type { CourseRecord } from './model.ts';

export interface CourseAccess {
  course: CourseRecord;
  /** How the caller relates to the course: decides what they may see and do in it. */
  role: Role;
  userId: string;
}

/**
 * Loads a course the caller may see: admins see every course of their tenant, others the
 * courses they have an active (or completed) enrollment in. Anything else is 404, so ids of
 * other people's courses reveal nothing.
 */
export async function courseAccess(
  ctx: ParameterizedContext<TenantState>,
  courseId: string,
): Promise<CourseAccess> {
  const principal = ctx.state.principal;
  if (!principal) throw new ApiProblem('unauthenticated');
  const { Course, Enrollment } = ctx.state.db.models;
  const [course, enrollment] = await Promise.all([
    Course.findById(courseId).lean(),
    principal.roles.includes('admin')
      ? null
      : Enrollment.findOne({
          courseId,
          accountId: principal.userId,
          state: { $in: ['active', 'completed'] },
        }).lean(),
  ]);
  if (!course) throw new ApiProblem('not-found');
  if (principal.roles.includes('admin')) return { course, role: 'admin', userId: principal.userId };
  if (!enrollment) throw new ApiProblem('not-found');
  return { course, role: enrollment.role, userId: principal.userId };
}

/** Course access for those who run it: the course's teachers and admins. */
export async function courseStaffAccess(
  ctx: ParameterizedContext<TenantState>,
  courseId: string,
): Promise<CourseAccess> {
  const access = await courseAccess(ctx, courseId);
  if (access.role === 'student') throw new ApiProblem('forbidden');
  return access;
}
