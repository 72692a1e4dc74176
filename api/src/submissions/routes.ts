import { z } from 'zod';
import { isUniqueViolation } from '../../../contract/src/mongo-errors.ts';
import {
  type AssignmentModel,
  type AssignmentRecord,
  MAX_ASSIGNMENTS_PER_COURSE,
} from '../assignments/model.ts';
import { AssignmentPath } from '../assignments/routes.ts';
import { courseAccess, courseStaffAccess } from '../courses/access.ts';
import { CourseId } from '../courses/routes.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { etag, expectedVersion, IfMatchHeader, updateVersioned } from '../http/etag.ts';
import { listQuery, paginate } from '../http/pagination.ts';
import { createOnce } from '../http/request-ids.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { acceptsLate, daysLate, finalScore } from './late.ts';
import { MAX_ATTEMPTS, type SubmissionModel, SubmissionRecord, WorkflowState } from './model.ts';

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
/** Students of the gradebook come a page at a time, in enrollment order. */
const GradebookQuery = listQuery(['createdAt'], {});

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
      summary: `Submit (a new attempt at) an assignment as an enrolled student: up to its maxAttempts, and never more than ${MAX_ATTEMPTS}`,
      tag: 'submissions',
      access: ['student'],
      params: AssignmentPath,
      body: SubmissionCreate,
      responses: { 201: { description: 'Submitted', schema: SubmissionSchema } },
      problems: ['conflict', 'attempt-limit-reached'],
      handler: async (ctx, { params, body }) => {
        const access = await courseAccess(ctx, params.courseId);
        if (access.role !== 'student') throw new ApiProblem('forbidden');
        const { Assignment, Submission } = ctx.state.db.models;
        const { ids } = ctx.state;
        const id = ids.next();
        // A retry of a keyed request whose first attempt stored the submission (and was cut off
        // before it answered): that one is the answer, checked against the due date when it came.
        const earlier = ids.keyed
          ? await Submission.findOne({
              _id: id,
              assignmentId: params.assignmentId,
              accountId: access.userId,
            }).lean()
          : null;
        if (earlier) {
          await supersedeEarlierAttempts(Submission, earlier);
          ctx.status = 201;
          ctx.body = present(earlier);
          return;
        }
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
        if (previous >= Math.min(assignment.maxAttempts ?? MAX_ATTEMPTS, MAX_ATTEMPTS)) {
          throw new ApiProblem('attempt-limit-reached', {
            detail:
              assignment.maxAttempts !== null && assignment.maxAttempts <= MAX_ATTEMPTS
                ? `This assignment takes ${assignment.maxAttempts} attempt(s)`
                : `At most ${MAX_ATTEMPTS} attempts per assignment`,
          });
        }
        try {
          const { record: created } = await createOnce(ids, Submission, {
            _id: id,
            courseId: params.courseId,
            assignmentId: assignment._id,
            accountId: access.userId,
            attempt: previous + 1,
            body: body.body,
            submittedAt,
            late: days > 0,
            daysLate: days,
            workflowState: 'submitted',
            supersededAt: null,
            version: 1,
          });
          await supersedeEarlierAttempts(Submission, created);
          ctx.status = 201;
          ctx.body = present(created);
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
      summary:
        "The course gradebook, a page of students at a time: each one's latest attempt per assignment (teachers and admins)",
      tag: 'grades',
      access: ['admin', 'teacher'],
      params: CourseId,
      query: GradebookQuery,
      responses: {
        200: {
          description: 'A page of the gradebook',
          schema: GradebookSchema,
          headers: { Link: 'The next and previous pages of students' },
        },
      },
      handler: async (ctx, { params, query }) => {
        await courseStaffAccess(ctx, params.courseId);
        const { Assignment, Enrollment, Submission } = ctx.state.db.models;
        const [assignments, students] = await Promise.all([
          courseAssignments(Assignment, { courseId: params.courseId }),
          paginate(
            ctx,
            Enrollment,
            { courseId: params.courseId, role: 'student', state: { $in: ['active', 'completed'] } },
            query,
            { present: (e) => e.accountId },
          ),
        ]);
        const cells = await latestAttempts(Submission, params.courseId, students.items);
        ctx.body = gradebook(assignments, students.items, cells);
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
        const [assignments, cells] = await Promise.all([
          courseAssignments(Assignment, { courseId: params.courseId, published: true }),
          latestAttempts(Submission, params.courseId, [access.userId]),
        ]);
        ctx.body = gradebook(assignments, [access.userId], cells);
      },
    }),
  ];
}

/** The earlier attempts are no longer the one that counts (the gradebook reads the latest only). */
async function supersedeEarlierAttempts(
  Submission: SubmissionModel,
  latest: SubmissionRecord,
): Promise<void> {
  await Submission.updateMany(
    {
      assignmentId: latest.assignmentId,
      accountId: latest.accountId,
      attempt: { $lt: latest.attempt },
      supersededAt: null,
    },
    { $set: { supersededAt: latest.submittedAt } },
  );
}

type GradebookAssignment = Pick<AssignmentRecord, '_id' | 'title' | 'pointsPossible'>;
/** What the gradebook needs of an attempt: never its body. */
type Cell = Pick<
  SubmissionRecord,
  'accountId' | 'assignmentId' | 'attempt' | 'workflowState' | 'finalScore' | 'late'
>;

/** A course's assignments in due order, only the fields a gradebook shows (a course has at most 500). */
function courseAssignments(Assignment: AssignmentModel, filter: Record<string, unknown>) {
  return Assignment.find(filter, { title: 1, pointsPossible: 1 })
    .sort({ dueAt: 1, _id: 1 })
    .limit(MAX_ASSIGNMENTS_PER_COURSE)
    .lean<GradebookAssignment[]>();
}

/**
 * The attempt that counts of each (student, assignment) for these students: the one no later
 * attempt superseded, selected and projected by the database. Attempts stored before attempts were
 * superseded (and not yet migrated) may add older ones; the latest wins below.
 */
function latestAttempts(
  Submission: SubmissionModel,
  courseId: string,
  studentIds: string[],
): Promise<Cell[]> {
  return Submission.aggregate<Cell>([
    { $match: { courseId, accountId: { $in: studentIds }, supersededAt: null } },
    {
      $project: {
        _id: 0,
        accountId: 1,
        assignmentId: 1,
        attempt: 1,
        workflowState: 1,
        finalScore: 1,
        late: 1,
      },
    },
  ]);
}

function gradebook(
  assignments: GradebookAssignment[],
  studentIds: string[],
  cells: Cell[],
): z.infer<typeof GradebookSchema> {
  const latest = new Map<string, Cell>();
  for (const cell of cells) {
    const key = `${cell.accountId}:${cell.assignmentId}`;
    const seen = latest.get(key);
    if (!seen || seen.attempt < cell.attempt) latest.set(key, cell);
  }
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
