import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { courseAccess, courseStaffAccess } from '../courses/access.ts';
import { CourseId } from '../courses/routes.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { listQuery, paginate } from '../http/pagination.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import { AttendanceRecord, AttendanceStatus } from './model.ts';

const SessionDate = z.iso.date().meta({ description: 'YYYY-MM-DD' });

const stored = AttendanceRecord.shape;

export const AttendanceSchema = z
  .object({
    id: z.string(),
    courseId: stored.courseId,
    sessionDate: stored.sessionDate,
    userId: stored.accountId,
    status: stored.status,
    note: stored.note,
    version: stored.version,
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Attendance' });
const AttendanceList = z.object({ items: z.array(AttendanceSchema) }).meta({ id: 'AttendanceList' });

const TakeAttendance = z.strictObject({
  records: z
    .array(
      z.strictObject({ userId: z.uuid(), status: AttendanceStatus, note: z.string().max(1_000).default('') }),
    )
    .min(1)
    .max(500),
});

const present = (a: AttendanceRecord): z.infer<typeof AttendanceSchema> => ({
  id: a._id,
  courseId: a.courseId,
  sessionDate: a.sessionDate,
  userId: a.accountId,
  status: a.status,
  note: a.note,
  version: a.version,
  updatedAt: a.updatedAt.toISOString(),
});

export function attendanceRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'put',
      path: '/v1/courses/{courseId}/attendance/{sessionDate}',
      operationId: 'takeAttendance',
      summary: "Record (or correct) a session's attendance for enrolled students",
      tag: 'attendance',
      access: ['admin', 'teacher'],
      params: CourseId.extend({ sessionDate: SessionDate }),
      body: TakeAttendance,
      responses: {
        200: {
          description:
            "The session's records this request wrote, as stored (all of them: GET …/attendance?sessionDate=)",
          schema: AttendanceList,
        },
      },
      handler: async (ctx, { params, body }) => {
        const access = await courseStaffAccess(ctx, params.courseId);
        const { Attendance, Enrollment } = ctx.state.db.models;
        const userIds = body.records.map((r) => r.userId);
        const enrolled = new Set(
          (
            await Enrollment.find(
              { courseId: params.courseId, role: 'student', accountId: { $in: userIds } },
              { accountId: 1 },
            ).lean()
          ).map((e) => e.accountId),
        );
        // All or nothing: a record for someone who is not a student here rejects the whole request.
        const issues = body.records.flatMap((r, i) =>
          enrolled.has(r.userId)
            ? []
            : [
                {
                  path: ['body', 'records', i, 'userId'],
                  code: 'not_enrolled',
                  message: 'not a student of this course',
                },
              ],
        );
        if (new Set(userIds).size !== userIds.length) {
          issues.push({ path: ['body', 'records'], code: 'duplicate', message: 'one record per student' });
        }
        if (issues.length) throw new ApiProblem('validation-failed', { issues });
        for (const record of body.records) {
          const key = {
            courseId: params.courseId,
            sessionDate: params.sessionDate,
            accountId: record.userId,
          };
          const existing = await Attendance.findOne(key).lean();
          if (existing) {
            await Attendance.updateOne(
              { _id: existing._id },
              {
                $set: {
                  status: record.status,
                  note: record.note,
                  recordedBy: access.userId,
                  version: existing.version + 1,
                },
              },
            );
          } else {
            await Attendance.create({
              _id: uuidv7(),
              ...key,
              status: record.status,
              note: record.note,
              recordedBy: access.userId,
              version: 1,
            });
          }
        }
        // The records of this request (at most 500), not the whole session: a class can be any size.
        const rows = await Attendance.find({
          courseId: params.courseId,
          sessionDate: params.sessionDate,
          accountId: { $in: userIds },
        })
          .sort({ _id: 1 })
          .lean();
        ctx.body = { items: rows.map(present) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/courses/{courseId}/attendance',
      operationId: 'listAttendance',
      summary: "Attendance records: all for the course's teachers, your own for a student",
      tag: 'attendance',
      access: ['admin', 'teacher', 'student'],
      params: CourseId,
      query: listQuery(['sessionDate'], {
        sessionDate: SessionDate.optional(),
        userId: z.uuid().optional(),
        status: AttendanceStatus.optional(),
      }),
      responses: { 200: { description: 'A page of attendance records', schema: AttendanceList } },
      handler: async (ctx, { params, query }) => {
        const access = await courseAccess(ctx, params.courseId);
        const filter: Record<string, unknown> = { courseId: params.courseId };
        if (query.sessionDate) filter.sessionDate = query.sessionDate;
        if (query.status) filter.status = query.status;
        if (access.role === 'student') filter.accountId = access.userId;
        else if (query.userId) filter.accountId = query.userId;
        ctx.body = await paginate(ctx, ctx.state.db.models.Attendance, filter, query, { present });
      },
    }),
  ];
}
