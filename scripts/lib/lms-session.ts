import { call, type Reply } from './http-client.ts';

export interface SessionResult {
  tenant: string;
  adminToken: string;
  teacherToken: string;
  studentToken: string;
  courseId: string;
  assignmentId: string;
  gradebook: Reply['body'];
}

/**
 * A short scripted LMS session against one tenant, as a school would start: the admin logs in
 * with the password the operator delivered and replaces it (the API allows nothing else before;
 * the new one is `<tenant>-admin-password`), creates a teacher and a student, the teacher creates
 * a course, enrolls the student and sets an assignment, the student submits, the teacher grades
 * and reads the gradebook. Every step is printed; any unexpected answer throws.
 */
export async function runLmsSession(options: {
  apiUrl: string;
  host: string;
  tenant: string;
  admin: { email: string; password: string };
  say: (line: string) => void;
}): Promise<SessionResult> {
  const { apiUrl, host, say } = options;
  const step = async (
    what: string,
    method: string,
    path: string,
    expected: number,
    extra: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply> => {
    const reply = await call(apiUrl, method, path, { host, ...extra });
    say(`  ${method.padEnd(5)} ${path} → ${reply.status}  ${what}`);
    if (reply.status !== expected) {
      throw new Error(
        `${options.tenant}: ${what}: expected ${expected}, got ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    }
    return reply;
  };
  say(`${options.tenant} (Host: ${host})`);
  const first = await step('admin logs in', 'POST', '/v1/auth/login', 200, { body: options.admin });
  let adminToken = first.body.accessToken as string;
  if (first.body.mustChangePassword) {
    const password = `${options.tenant}-admin-password`;
    await step('admin chooses a password', 'POST', '/v1/me/password', 204, {
      token: adminToken,
      body: { currentPassword: options.admin.password, newPassword: password },
    });
    const admin = await step('admin logs in again', 'POST', '/v1/auth/login', 200, {
      body: { email: options.admin.email, password },
    });
    adminToken = admin.body.accessToken as string;
  }
  const people: Record<string, { email: string; password: string; token?: string }> = {
    teacher: { email: `teacher@${options.tenant}.example.edu`, password: 'teacher-password-1' },
    student: { email: `student@${options.tenant}.example.edu`, password: 'student-password-1' },
  };
  const ids: Record<string, string> = {};
  for (const [role, person] of Object.entries(people)) {
    const created = await step(`admin creates a ${role}`, 'POST', '/v1/users', 201, {
      token: adminToken,
      body: { email: person.email, displayName: `Sample ${role}`, role, password: person.password },
    });
    ids[role] = created.body.user.id;
    person.token = (
      await step(`${role} logs in`, 'POST', '/v1/auth/login', 200, {
        body: { email: person.email, password: person.password },
      })
    ).body.accessToken;
  }
  const teacherToken = people.teacher?.token as string;
  const studentToken = people.student?.token as string;
  const course = await step('teacher creates a course', 'POST', '/v1/courses', 201, {
    token: teacherToken,
    body: { title: 'Introduction to Biology', code: 'BIO-101', state: 'published' },
  });
  const c = `/v1/courses/${course.body.id}`;
  await step('teacher enrolls the student', 'POST', `${c}/enrollments`, 201, {
    token: teacherToken,
    body: { userId: ids.student, role: 'student' },
  });
  await step('teacher adds a lesson', 'POST', `${c}/lessons`, 201, {
    token: teacherToken,
    body: { title: 'Cells', body: 'The unit of life.', published: true },
  });
  const assignment = await step('teacher sets an assignment', 'POST', `${c}/assignments`, 201, {
    token: teacherToken,
    body: { title: 'Essay on cells', pointsPossible: 100, published: true },
  });
  const a = `${c}/assignments/${assignment.body.id}`;
  const submission = await step('student submits', 'POST', `${a}/submissions`, 201, {
    token: studentToken,
    body: { body: 'Cells are the basic building blocks of all living things.' },
  });
  await step('teacher grades it', 'PUT', `${a}/submissions/${submission.body.id}/grade`, 200, {
    token: teacherToken,
    body: { score: 93, feedback: 'Clear and correct.', state: 'returned' },
    headers: { 'if-match': `"${submission.body.version}"` },
  });
  const gradebook = await step('teacher reads the gradebook', 'GET', `${c}/gradebook`, 200, {
    token: teacherToken,
  });
  const row = gradebook.body.students[0];
  say(
    `  gradebook: ${gradebook.body.students.length} student(s), total ${row?.totalScore}/${row?.totalPossible}`,
  );
  return {
    tenant: options.tenant,
    adminToken,
    teacherToken,
    studentToken,
    courseId: course.body.id,
    assignmentId: assignment.body.id,
    gradebook: gradebook.body,
  };
}
