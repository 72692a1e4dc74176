import type { Connection } from 'mongoose';
import { type AssignmentModel, compileAssignmentModel } from '../assignments/model.ts';
import { type AttendanceModel, compileAttendanceModel } from '../attendance/model.ts';
import { compileRefreshTokenModel, type RefreshTokenModel } from '../auth/refresh-token-model.ts';
import { type CourseModel, compileCourseModel } from '../courses/model.ts';
import { compileEnrollmentModel, type EnrollmentModel } from '../enrollments/model.ts';
import { compileLessonModel, type LessonModel } from '../lessons/model.ts';
import { compileSubmissionModel, type SubmissionModel } from '../submissions/model.ts';
import { type AccountModel, compileAccountModel } from '../users/model.ts';

/** Every model of a tenant database. */
export interface TenantModels {
  Account: AccountModel;
  RefreshToken: RefreshTokenModel;
  Course: CourseModel;
  Enrollment: EnrollmentModel;
  Lesson: LessonModel;
  Assignment: AssignmentModel;
  Submission: SubmissionModel;
  Attendance: AttendanceModel;
}

const compilers: { [K in keyof TenantModels]: (c: Connection) => TenantModels[K] } = {
  Account: compileAccountModel,
  RefreshToken: compileRefreshTokenModel,
  Course: compileCourseModel,
  Enrollment: compileEnrollmentModel,
  Lesson: compileLessonModel,
  Assignment: compileAssignmentModel,
  Submission: compileSubmissionModel,
  Attendance: compileAttendanceModel,
};

/**
 * The models of one tenant handle. Each is compiled on first use and then kept for the handle's
 * life: once per connection, never per request, and a tenant that only logs in never pays for the
 * gradebook's models.
 */
export function compileTenantModels(connection: Connection): TenantModels {
  const compiled: Partial<TenantModels> = {};
  const models = {} as TenantModels;
  for (const name of Object.keys(compilers) as Array<keyof TenantModels>) {
    Object.defineProperty(models, name, {
      enumerable: true,
      get: () => {
        compiled[name] ??= compilers[name](connection) as never;
        return compiled[name];
      },
    });
  }
  return models;
}
