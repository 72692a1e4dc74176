import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { isUniqueViolation } from '../../../contract/src/mongo-errors.ts';
import { AssignmentPath } from '../assignments/routes.ts';
import { courseAccess, courseStaffAccess } from '../courses/access.ts';
import { CourseId } from '../courses/routes.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { etag, expectedVersion, IfMatchHeader, updateVersioned } from '../http/etag.ts';
import { listQuery, paginate } from '../http/pagination.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { acceptsLate, daysLate, finalScore } from './late.ts';
import { SubmissionRecord, WorkflowState } from './model.ts';

const stored = SubmissionRecord.shape;

export const SubmissionSchema = z
  .object({
    id: z.string(),
    courseId: stored.courseId,
    assignmentId: stored.assignmentId,
    userId: stored.accountId,
    attempt: stored.attempt,
    body: stored.body,
    submittedAt: z.iso.datetime(),
    late: stored.late,
    daysLate: stored.daysLate,
    workflowState: stored.workflowState,
    score: stored.score,
    finalScore: stored.finalScore,
    feedback: stored.feedback,
    gradedAt: z.iso.datetime().nullable(),
    version: stored.version,
  })
  .meta({ id: 'Submission' });

const SubmissionCreate = z.strictObject({ body: z.string().min(1).max(100_000) });
const Grade = z.strictObject({
  score: z.number().min(0).max(10_000),
  feedback: z.string().max(20_000).default(''),
  state: z.enum(['graded', 'returned']).default('graded'),
});
const SubmissionPath = AssignmentPath.extend({ submissionId: z.uuid() });

const present = (s: SubmissionRecord): z.infer<typeof SubmissionSchema> => ({
  id: s._id,
  courseId: s.courseId,
  assignmentId: s.assignmentId,
  userId: s.accountId,
  attempt: s.attempt,
  body: s.body,
  submittedAt: s.submittedAt.toISOString(),
  late: s.late,
  daysLate: s.daysLate,
  workflowState: s.workflowState,
  score: s.score,
  finalScore: s.finalScore,
  feedback: s.feedback,
  gradedAt: s.gradedAt ? s.gradedAt.toISOString() : null,
  version: s.version,
});

const GradebookSchema = z
  .object({
    assignments: z.array(z.object({ id: z.string(), title: z.string(), pointsPossible: z.number() })),
    students: z.array(
      z.object({
        userId: z.string(),
        grades: z.array(
          z.object({
            assignmentId: z.string(),
            workflowState: WorkflowState.nullable(),
            finalScore: z.number().nullable(),
            late: z.boolean(),
          }),
        ),
        totalScore: z.number(),
        totalPossible: z.number(),
      }),
    ),
  })
  .meta({ id: 'Gradebook' });

/** Submissions (attempts), their grades, the teacher's gradebook and a student's own grades. */
export function submissionRoutes(deps: RouteDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/courses/{courseId}/assignments/{assignmentId}/submissions',
      operationId: 'submit',
      summary: 'Submit (a new attempt at) an assignment as an enrolled student',
      tag: 'submissions',
      access: ['student'],
      params: AssignmentPath,
      body: SubmissionCreate,
      responses: { 201: { description: 'Submitted', schema: SubmissionSchema } },
      problems: ['conflict'],
      handler: async (ctx, { params, body }) => {
        const access = await courseAccess(ctx, params.courseId);
        if (access.role !== 'student') throw new ApiProblem('forbidden');
        const { Assignment, Submission } = ctx.state.db.models;
        const assignment = await Assignment.findOne({
          _id: params.assignmentId,
          courseId: params.courseId,
        }).lean();
        if (!assignment?.published) throw new ApiProblem('not-found');
        const submittedAt = deps.clock.date();
        const days = daysLate(assignment.dueAt, submittedAt);
        if (!acceptsLate(assignment.latePolicy, days)) {
          throw new ApiProblem('conflict', {
            detail: 'The due date has passed and late work is not accepted',
          });
        }
        const previous = await Submission.countDocuments({
          assignmentId: assignment._id,
          accountId: access.userId,
        });
        if (assignment.maxAttempts !== null && previous >= assignment.maxAttempts) {
          throw new ApiProblem('conflict', { detail: 'No attempts left for this assignment' });
        }
        try {
          const created = await Submission.create({
            _id: uuidv7(),
            courseId: params.courseId,
            assignmentId: assignment._id,
            accountId: access.userId,
            attempt: previous + 1,
            body: body.body,
            submittedAt,
            late: days > 0,
            daysLate: days,
            workflowState: 'submitted',
            version: 1,
          });
          ctx.status = 201;
          ctx.body = present(created.toObject());
        } catch (error) {
          // Two attempts raced for the same number: the unique index lets one through.
          if (isUniqueViolation(error))
            throw new ApiProblem('conflict', { detail: 'Another attempt was just submitted' });
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/courses/{courseId}/assignments/{assignmentId}/submissions',
      operationId: 'listSubmissions',
      summary: "Submissions: all of them for the course's teachers, your own for a student",
      tag: 'submissions',
      access: ['admin', 'teacher', 'student'],
      params: AssignmentPath,
      query: listQuery(['submittedAt'], { state: WorkflowState.optional(), userId: z.uuid().optional() }),
      responses: {
        200: { description: 'A page of submissions', schema: z.object({ items: z.array(SubmissionSchema) }) },
      },
      handler: async (ctx, { params, query }) => {
        const access = await courseAccess(ctx, params.courseId);
        const filter: Record<string, unknown> = {
          courseId: params.courseId,
          assignmentId: params.assignmentId,
        };
        if (query.state) filter.workflowState = query.state;
        if (access.role === 'student') filter.accountId = access.userId;
        else if (query.userId) filter.accountId = query.userId;
        ctx.body = await paginate(ctx, ctx.state.db.models.Submission, filter, query, { present });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/courses/{courseId}/assignments/{assignmentId}/submissions/{submissionId}',
      operationId: 'getSubmission',
      summary: 'One submission (students: only their own)',
      tag: 'submissions',
      access: ['admin', 'teacher', 'student'],
      params: SubmissionPath,
      responses: { 200: { description: 'The submission', schema: SubmissionSchema } },
      handler: async (ctx, { params }) => {
        const access = await courseAccess(ctx, params.courseId);
        const found = await ctx.state.db.models.Submission.findOne({
          _id: params.submissionId,
          assignmentId: params.assignmentId,
          courseId: params.courseId,
        }).lean();
        if (!found || (access.role === 'student' && found.accountId !== access.userId))
          throw new ApiProblem('not-found');
        ctx.set('ETag', etag(found.version));
        ctx.body = present(found);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/v1/courses/{courseId}/assignments/{assignmentId}/submissions/{submissionId}/grade',
      operationId: 'gradeSubmission',
      summary: 'Grade a submission (and optionally return it), with If-Match; the late penalty applies',
      tag: 'grades',
      access: ['admin', 'teacher'],
      params: SubmissionPath,
      headers: IfMatchHeader,
      body: Grade,
      responses: { 200: { description: 'Graded', schema: SubmissionSchema } },
      problems: ['precondition-failed', 'precondition-required'],
      handler: async (ctx, { params, body }) => {
        const access = await courseStaffAccess(ctx, params.courseId);
        expectedVersion(ctx); // 428 before any work when If-Match is missing
        const { Assignment, Submission } = ctx.state.db.models;
        const assignment = await Assignment.findOne({
          _id: params.assignmentId,
          courseId: params.courseId,
        }).lean();
        if (!assignment) throw new ApiProblem('not-found');
        if (body.score > assignment.pointsPossible) {
          throw new ApiProblem('validation-failed', {
            issues: [
              {
                path: ['body', 'score'],
                code: 'too_big',
                message: `at most ${assignment.pointsPossible} points`,
              },
            ],
          });
        }
        const current = await Submission.findOne({
          _id: params.submissionId,
          assignmentId: assignment._id,
        }).lean();
        if (!current) throw new ApiProblem('not-found');
        const updated = await updateVersioned(
          ctx,
          Submission,
          { _id: current._id },
          {
            score: body.score,
            finalScore: finalScore(body.score, assignment.latePolicy, current.daysLate),
            feedback: body.feedback,
            workflowState: body.state,
            gradedBy: access.userId,
            gradedAt: deps.clock.date(),
          },
        );
        ctx.body = present(updated);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/courses/{courseId}/gradebook',
      operationId: 'getGradebook',
      summary: "The course gradebook: every student's latest attempt per assignment (teachers and admins)",
      tag: 'grades',
      access: ['admin', 'teacher'],
      params: CourseId,
      responses: { 200: { description: 'The gradebook', schema: GradebookSchema } },
      handler: async (ctx, { params }) => {
        await courseStaffAccess(ctx, params.courseId);
        const { Assignment, Enrollment, Submission } = ctx.state.db.models;
        const [assignments, students, submissions] = await Promise.all([
          Assignment.find({ courseId: params.courseId }).sort({ dueAt: 1, _id: 1 }).lean(),
          Enrollment.find({
            courseId: params.courseId,
            role: 'student',
            state: { $in: ['active', 'completed'] },
          })
            .sort({ _id: 1 })
            .lean(),
          Submission.find({ courseId: params.courseId }).sort({ attempt: 1 }).lean(),
        ]);
        ctx.body = gradebook(
          assignments,
          students.map((s) => s.accountId),
          submissions,
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/courses/{courseId}/grades/me',
      operationId: 'getMyGrades',
      summary: 'Your own grades in a course',
      tag: 'grades',
      access: ['student'],
      params: CourseId,
      responses: { 200: { description: 'Your row of the gradebook', schema: GradebookSchema } },
      handler: async (ctx, { params }) => {
        const access = await courseAccess(ctx, params.courseId);
        const { Assignment, Submission } = ctx.state.db.models;
        const [assignments, submissions] = await Promise.all([
          Assignment.find({ courseId: params.courseId, published: true }).sort({ dueAt: 1, _id: 1 }).lean(),
          Submission.find({ courseId: params.courseId, accountId: access.userId })
            .sort({ attempt: 1 })
            .lean(),
        ]);
        ctx.body = gradebook(assignments, [access.userId], submissions);
      },
    }),
  ];
}

function gradebook(
  assignments: Array<{ _id: string; title: string; pointsPossible: number }>,
  studentIds: string[],
  submissions: SubmissionRecord[],
): z.infer<typeof GradebookSchema> {
  // Latest attempt per (student, assignment): submissions come sorted by attempt.
  const latest = new Map<string, SubmissionRecord>();
  for (const s of submissions) latest.set(`${s.accountId}:${s.assignmentId}`, s);
  return {
    assignments: assignments.map((a) => ({ id: a._id, title: a.title, pointsPossible: a.pointsPossible })),
    students: studentIds.map((userId) => {
      const grades = assignments.map((a) => {
        const s = latest.get(`${userId}:${a._id}`);
        return {
          assignmentId: a._id,
          workflowState: s?.workflowState ?? null,
          finalScore: s && s.workflowState !== 'submitted' ? s.finalScore : null,
          late: s?.late ?? false,
        };
      });
      const graded = grades.filter((g) => g.finalScore !== null);
      return {
        userId,
        grades,
        totalScore: graded.reduce((sum, g) => sum + (g.finalScore ?? 0), 0),
        totalPossible: assignments
          .filter((a) => graded.some((g) => g.assignmentId === a._id))
          .reduce((sum, a) => sum + a.pointsPossible, 0),
      };
    }),
  };
}
