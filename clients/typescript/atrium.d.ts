/**
 * Generated from the OpenAPI document of the Atrium API by `npm run client` (openapi-typescript).
 * Do not edit: change the route specs and run it again.
 */


export interface paths {
  "/v1/tenant": {
    /** The tenant the request resolved to (for a login page: its name and plan) */
    get: operations["getTenant"];
  };
  "/v1/auth/login": {
    /** Exchange e-mail and password for an access token and a refresh token */
    post: operations["login"];
  };
  "/v1/auth/refresh": {
    /** Rotate a refresh token: the old one stops working; reusing it revokes its whole family */
    post: operations["refreshToken"];
  };
  "/v1/auth/logout": {
    /** Revoke a refresh token's family (the session); idempotent */
    post: operations["logout"];
  };
  "/v1/me": {
    /** The account of the access token */
    get: operations["getMe"];
  };
  "/v1/me/password": {
    /** Change your password; every session (refresh and access tokens) before it ends */
    post: operations["changeMyPassword"];
  };
  "/v1/users": {
    /** Accounts of the tenant */
    get: operations["listUsers"];
    /** Create (invite) an account; without a password, an initial one is generated and returned once */
    post: operations["createUser"];
  };
  "/v1/users/import": {
    /** Create many accounts at once (a roster); accounts whose e-mail exists are left alone, so an import can be repeated */
    post: operations["importUsers"];
  };
  "/v1/users/{userId}": {
    /** One account (admins: any; others: their own) */
    get: operations["getUser"];
    /** Change an account's name, role or status; a role change or deactivation ends its sessions */
    patch: operations["updateUser"];
  };
  "/v1/courses": {
    /** Courses: every course for admins, the enrolled ones for everyone else */
    get: operations["listCourses"];
    /** Create a course; a teacher who creates one is enrolled as its teacher */
    post: operations["createCourse"];
  };
  "/v1/courses/{courseId}": {
    /** One course you can see */
    get: operations["getCourse"];
    /** Change a course (its teachers and admins), with If-Match */
    patch: operations["updateCourse"];
  };
  "/v1/courses/{courseId}/enrollments": {
    /** A course's roster (its teachers and admins) */
    get: operations["listEnrollments"];
    /** Enroll an account as teacher or student */
    post: operations["createEnrollment"];
  };
  "/v1/courses/{courseId}/enrollments/{enrollmentId}": {
    /** Complete or drop an enrollment, with If-Match */
    patch: operations["updateEnrollment"];
  };
  "/v1/me/enrollments": {
    /** Your own enrollments */
    get: operations["listMyEnrollments"];
  };
  "/v1/courses/{courseId}/lessons": {
    /** A course's lessons in order */
    get: operations["listLessons"];
    /** Add a lesson */
    post: operations["createLesson"];
  };
  "/v1/courses/{courseId}/lessons/{lessonId}": {
    /** One lesson */
    get: operations["getLesson"];
    /** Remove a lesson */
    delete: operations["deleteLesson"];
    /** Change or move a lesson, with If-Match */
    patch: operations["updateLesson"];
  };
  "/v1/courses/{courseId}/assignments": {
    /** A course's assignments; students see published ones */
    get: operations["listAssignments"];
    /** Create an assignment (a course has at most 500) */
    post: operations["createAssignment"];
  };
  "/v1/courses/{courseId}/assignments/{assignmentId}": {
    /** One assignment */
    get: operations["getAssignment"];
    /** Change an assignment, with If-Match */
    patch: operations["updateAssignment"];
  };
  "/v1/courses/{courseId}/assignments/{assignmentId}/submissions": {
    /** Submissions: all of them for the course's teachers, your own for a student */
    get: operations["listSubmissions"];
    /** Submit (a new attempt at) an assignment as an enrolled student: up to its maxAttempts, and never more than 100 */
    post: operations["submit"];
  };
  "/v1/courses/{courseId}/assignments/{assignmentId}/submissions/{submissionId}": {
    /** One submission (students: only their own) */
    get: operations["getSubmission"];
  };
  "/v1/courses/{courseId}/assignments/{assignmentId}/submissions/{submissionId}/grade": {
    /** Grade a submission (and optionally return it), with If-Match; the late penalty applies */
    put: operations["gradeSubmission"];
  };
  "/v1/courses/{courseId}/gradebook": {
    /** The course gradebook, a page of students at a time: each one's latest attempt per assignment (teachers and admins) */
    get: operations["getGradebook"];
  };
  "/v1/courses/{courseId}/grades/me": {
    /** Your own grades in a course */
    get: operations["getMyGrades"];
  };
  "/v1/courses/{courseId}/attendance/{sessionDate}": {
    /** Record (or correct) a session's attendance for enrolled students */
    put: operations["takeAttendance"];
  };
  "/v1/courses/{courseId}/attendance": {
    /** Attendance records: all for the course's teachers, your own for a student */
    get: operations["listAttendance"];
  };
}

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
    LatePolicy: {
      /** @default true */
      acceptLate?: boolean;
      /** @default 0 */
      penaltyPercentPerDay?: number;
      /** @default null */
      maxLateDays?: number | null;
    };
    TenantInfo: {
      id: string;
      subdomain: string;
      displayName: string;
      plan: string;
    };
    Problem: {
      type: string;
      title: string;
      status: number;
      /** @enum {string} */
      code: "malformed-request" | "validation-failed" | "payload-too-large" | "tenant-required" | "tenant-mismatch" | "tenant-not-found" | "tenant-lookups-throttled" | "tenant-gone" | "tenant-suspended" | "tenant-provisioning" | "tenant-moving" | "unauthenticated" | "invalid-token" | "token-tenant-mismatch" | "forbidden" | "password-change-required" | "not-found" | "method-not-allowed" | "cors-origin-not-allowed" | "conflict" | "attempt-limit-reached" | "assignment-limit-reached" | "enrollment-limit-reached" | "precondition-failed" | "precondition-required" | "unsupported-media-type" | "idempotency-key-invalid" | "idempotency-key-reused" | "idempotency-key-in-use" | "invalid-credentials" | "login-throttled" | "login-unavailable" | "refresh-token-invalid" | "rate-limited" | "cluster-unavailable" | "capacity-exhausted" | "registry-unavailable" | "deadline-exceeded" | "overloaded" | "draining" | "revocation-check-unavailable" | "internal";
      detail?: string;
      instance?: string;
      issues?: ({
          path: (string | number)[];
          code: string;
          message: string;
        })[];
    };
    TokenResponse: {
      /** @constant */
      tokenType: "Bearer";
      accessToken: string;
      expiresIn: number;
      refreshToken: string;
      mustChangePassword: boolean;
      user: components["schemas"]["User"];
    };
    User: {
      id: string;
      email: string;
      displayName: string;
      /** @enum {string} */
      role: "admin" | "teacher" | "student";
      /** @enum {string} */
      status: "active" | "deactivated";
      mustChangePassword: boolean;
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    UserList: {
      items: components["schemas"]["User"][];
    };
    CreatedUser: {
      user: components["schemas"]["User"];
      initialPassword?: string;
    };
    UserImportResult: {
      created: number;
      existing: number;
      results: ({
          index: number;
          email: string;
          /** @enum {string} */
          outcome: "created" | "exists";
          user?: components["schemas"]["User"];
          initialPassword?: string;
        })[];
    };
    Course: {
      id: string;
      title: string;
      code: string;
      description: string;
      /** @enum {string} */
      state: "draft" | "published" | "archived";
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    EnrollmentList: {
      items: components["schemas"]["Enrollment"][];
    };
    Enrollment: {
      id: string;
      courseId: string;
      userId: string;
      /** @enum {string} */
      role: "teacher" | "student";
      /** @enum {string} */
      state: "active" | "completed" | "dropped";
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    Lesson: {
      id: string;
      courseId: string;
      title: string;
      body: string;
      position: number;
      published: boolean;
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    Assignment: {
      id: string;
      courseId: string;
      title: string;
      description: string;
      dueAt: string | null;
      pointsPossible: number;
      latePolicy: {
        acceptLate: boolean;
        penaltyPercentPerDay: number;
        maxLateDays: number | null;
      };
      maxAttempts: number | null;
      published: boolean;
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    Submission: {
      id: string;
      courseId: string;
      assignmentId: string;
      userId: string;
      attempt: number;
      body: string;
      /** Format: date-time */
      submittedAt: string;
      late: boolean;
      daysLate: number;
      /** @enum {string} */
      workflowState: "submitted" | "graded" | "returned";
      score: number | null;
      finalScore: number | null;
      feedback: string;
      gradedAt: string | null;
      version: number;
    };
    Gradebook: {
      assignments: {
          id: string;
          title: string;
          pointsPossible: number;
        }[];
      students: ({
          userId: string;
          grades: ({
              assignmentId: string;
              workflowState: ("submitted" | "graded" | "returned") | null;
              finalScore: number | null;
              late: boolean;
            })[];
          totalScore: number;
          totalPossible: number;
        })[];
    };
    AttendanceList: {
      items: components["schemas"]["Attendance"][];
    };
    Attendance: {
      id: string;
      courseId: string;
      sessionDate: string;
      userId: string;
      /** @enum {string} */
      status: "present" | "absent" | "late" | "excused";
      note: string;
      version: number;
      /** Format: date-time */
      updatedAt: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;

export type external = Record<string, never>;

export interface operations {

  /** The tenant the request resolved to (for a login page: its name and plan) */
  getTenant: {
    responses: {
      /** @description The tenant */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["TenantInfo"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Exchange e-mail and password for an access token and a refresh token */
  login: {
    requestBody: {
      content: {
        "application/json": {
          /** @example admin@example.edu */
          email: string;
          password: string;
        };
      };
    };
    responses: {
      /** @description Logged in */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["TokenResponse"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; invalid-credentials */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited; login-throttled */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining; login-unavailable */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Rotate a refresh token: the old one stops working; reusing it revokes its whole family */
  refreshToken: {
    requestBody: {
      content: {
        "application/json": {
          refreshToken: string;
        };
      };
    };
    responses: {
      /** @description New tokens */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["TokenResponse"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; refresh-token-invalid */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Revoke a refresh token's family (the session); idempotent */
  logout: {
    requestBody: {
      content: {
        "application/json": {
          refreshToken: string;
        };
      };
    };
    responses: {
      /** @description Logged out */
      204: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: never;
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The account of the access token */
  getMe: {
    responses: {
      /** @description The account */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Change your password; every session (refresh and access tokens) before it ends */
  changeMyPassword: {
    requestBody: {
      content: {
        "application/json": {
          currentPassword: string;
          /** @description At least 12 characters */
          newPassword: string;
        };
      };
    };
    responses: {
      /** @description Changed */
      204: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: never;
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated; invalid-credentials */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Accounts of the tenant */
  listUsers: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 */
        limit?: number;
        /** @description Opaque cursor from a Link header (base64url, at most 512 characters) */
        cursor?: string;
        /** @description Sort field; a leading - sorts descending */
        sort?: "createdAt" | "-createdAt" | "email" | "-email";
        role?: "admin" | "teacher" | "student";
        status?: "active" | "deactivated";
      };
    };
    responses: {
      /** @description A page of accounts */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["UserList"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Create (invite) an account; without a password, an initial one is generated and returned once */
  createUser: {
    parameters: {
      header?: {
        /** @description Makes a retry of this request safe: 1–255 visible ASCII characters (a quoted sf-string is the same key unquoted), unique per request you mean, kept 24 h. A repeat answers what the first got (Idempotent-Replayed: true). */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          email: string;
          /** @default */
          displayName?: string;
          /** @enum {string} */
          role: "admin" | "teacher" | "student";
          /** @description Omit to generate an initial password, returned once */
          password?: string;
        };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description The new account */
          Location?: string;
          /** @description "true" when this is the answer to an earlier request with the same key */
          "Idempotent-Replayed"?: string;
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["CreatedUser"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch; idempotency-key-invalid */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description idempotency-key-in-use; conflict */
      409: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed; idempotency-key-reused */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Create many accounts at once (a roster); accounts whose e-mail exists are left alone, so an import can be repeated */
  importUsers: {
    parameters: {
      header?: {
        /** @description Makes a retry of this request safe: 1–255 visible ASCII characters (a quoted sf-string is the same key unquoted), unique per request you mean, kept 24 h. A repeat answers what the first got (Idempotent-Replayed: true). */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          users: ({
              email: string;
              /** @default */
              displayName?: string;
              /** @enum {string} */
              role: "admin" | "teacher" | "student";
            })[];
        };
      };
    };
    responses: {
      /** @description What happened to each row, in order */
      200: {
        headers: {
          /** @description "true" when this is the answer to an earlier request with the same key */
          "Idempotent-Replayed"?: string;
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["UserImportResult"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch; idempotency-key-invalid */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description idempotency-key-in-use */
      409: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed; idempotency-key-reused */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** One account (admins: any; others: their own) */
  getUser: {
    parameters: {
      path: {
        userId: string;
      };
    };
    responses: {
      /** @description The account */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Change an account's name, role or status; a role change or deactivation ends its sessions */
  updateUser: {
    parameters: {
      header: {
        /** @description The ETag of the version being replaced, e.g. "3" */
        "if-match": string;
      };
      path: {
        userId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          displayName?: string;
          /** @enum {string} */
          role?: "admin" | "teacher" | "student";
          /** @enum {string} */
          status?: "active" | "deactivated";
        };
      };
    };
    responses: {
      /** @description Updated */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description conflict */
      409: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-failed */
      412: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-required */
      428: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Courses: every course for admins, the enrolled ones for everyone else */
  listCourses: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 */
        limit?: number;
        /** @description Opaque cursor from a Link header (base64url, at most 512 characters) */
        cursor?: string;
        /** @description Sort field; a leading - sorts descending */
        sort?: "createdAt" | "-createdAt" | "title" | "-title" | "code" | "-code";
        state?: "draft" | "published" | "archived";
      };
    };
    responses: {
      /** @description A page of courses */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": {
            items: components["schemas"]["Course"][];
          };
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Create a course; a teacher who creates one is enrolled as its teacher */
  createCourse: {
    parameters: {
      header?: {
        /** @description Makes a retry of this request safe: 1–255 visible ASCII characters (a quoted sf-string is the same key unquoted), unique per request you mean, kept 24 h. A repeat answers what the first got (Idempotent-Replayed: true). */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          title: string;
          code: string;
          /** @default */
          description?: string;
          /**
           * @default draft
           * @enum {string}
           */
          state?: "draft" | "published" | "archived";
        };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description The new course */
          Location?: string;
          /** @description "true" when this is the answer to an earlier request with the same key */
          "Idempotent-Replayed"?: string;
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Course"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch; idempotency-key-invalid */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description idempotency-key-in-use; conflict */
      409: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed; idempotency-key-reused */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** One course you can see */
  getCourse: {
    parameters: {
      path: {
        courseId: string;
      };
    };
    responses: {
      /** @description The course */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Course"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Change a course (its teachers and admins), with If-Match */
  updateCourse: {
    parameters: {
      header: {
        /** @description The ETag of the version being replaced, e.g. "3" */
        "if-match": string;
      };
      path: {
        courseId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          title?: string;
          code?: string;
          /** @default */
          description?: string;
          /**
           * @default draft
           * @enum {string}
           */
          state?: "draft" | "published" | "archived";
        };
      };
    };
    responses: {
      /** @description Updated */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Course"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description conflict */
      409: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-failed */
      412: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-required */
      428: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** A course's roster (its teachers and admins) */
  listEnrollments: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 */
        limit?: number;
        /** @description Opaque cursor from a Link header (base64url, at most 512 characters) */
        cursor?: string;
        /** @description Sort field; a leading - sorts descending */
        sort?: "createdAt" | "-createdAt";
        role?: "teacher" | "student";
        state?: "active" | "completed" | "dropped";
      };
      path: {
        courseId: string;
      };
    };
    responses: {
      /** @description A page of enrollments */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["EnrollmentList"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Enroll an account as teacher or student */
  createEnrollment: {
    parameters: {
      header?: {
        /** @description Makes a retry of this request safe: 1–255 visible ASCII characters (a quoted sf-string is the same key unquoted), unique per request you mean, kept 24 h. A repeat answers what the first got (Idempotent-Replayed: true). */
        "idempotency-key"?: string;
      };
      path: {
        courseId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          /** Format: uuid */
          userId: string;
          /** @enum {string} */
          role: "teacher" | "student";
        };
      };
    };
    responses: {
      /** @description Enrolled */
      201: {
        headers: {
          /** @description "true" when this is the answer to an earlier request with the same key */
          "Idempotent-Replayed"?: string;
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Enrollment"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch; idempotency-key-invalid */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description idempotency-key-in-use; conflict */
      409: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed; idempotency-key-reused; enrollment-limit-reached */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Complete or drop an enrollment, with If-Match */
  updateEnrollment: {
    parameters: {
      header: {
        /** @description The ETag of the version being replaced, e.g. "3" */
        "if-match": string;
      };
      path: {
        courseId: string;
        enrollmentId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          /** @enum {string} */
          state: "active" | "completed" | "dropped";
        };
      };
    };
    responses: {
      /** @description Updated */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Enrollment"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-failed */
      412: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-required */
      428: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Your own enrollments */
  listMyEnrollments: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 */
        limit?: number;
        /** @description Opaque cursor from a Link header (base64url, at most 512 characters) */
        cursor?: string;
        /** @description Sort field; a leading - sorts descending */
        sort?: "createdAt" | "-createdAt";
        state?: "active" | "completed" | "dropped";
      };
    };
    responses: {
      /** @description A page of enrollments */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["EnrollmentList"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** A course's lessons in order */
  listLessons: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 */
        limit?: number;
        /** @description Opaque cursor from a Link header (base64url, at most 512 characters) */
        cursor?: string;
        /** @description Sort field; a leading - sorts descending */
        sort?: "position" | "-position" | "createdAt" | "-createdAt";
      };
      path: {
        courseId: string;
      };
    };
    responses: {
      /** @description A page of lessons */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": {
            items: components["schemas"]["Lesson"][];
          };
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Add a lesson */
  createLesson: {
    parameters: {
      header?: {
        /** @description Makes a retry of this request safe: 1–255 visible ASCII characters (a quoted sf-string is the same key unquoted), unique per request you mean, kept 24 h. A repeat answers what the first got (Idempotent-Replayed: true). */
        "idempotency-key"?: string;
      };
      path: {
        courseId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          title: string;
          /** @default */
          body?: string;
          /** @description Defaults to after the last lesson */
          position?: number;
          /** @default false */
          published?: boolean;
        };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description "true" when this is the answer to an earlier request with the same key */
          "Idempotent-Replayed"?: string;
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Lesson"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch; idempotency-key-invalid */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description idempotency-key-in-use */
      409: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed; idempotency-key-reused */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** One lesson */
  getLesson: {
    parameters: {
      path: {
        courseId: string;
        lessonId: string;
      };
    };
    responses: {
      /** @description The lesson */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Lesson"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Remove a lesson */
  deleteLesson: {
    parameters: {
      path: {
        courseId: string;
        lessonId: string;
      };
    };
    responses: {
      /** @description Removed */
      204: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: never;
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Change or move a lesson, with If-Match */
  updateLesson: {
    parameters: {
      header: {
        /** @description The ETag of the version being replaced, e.g. "3" */
        "if-match": string;
      };
      path: {
        courseId: string;
        lessonId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          title?: string;
          body?: string;
          position?: number;
          published?: boolean;
        };
      };
    };
    responses: {
      /** @description Updated */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Lesson"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-failed */
      412: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-required */
      428: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** A course's assignments; students see published ones */
  listAssignments: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 */
        limit?: number;
        /** @description Opaque cursor from a Link header (base64url, at most 512 characters) */
        cursor?: string;
        /** @description Sort field; a leading - sorts descending */
        sort?: "dueAt" | "-dueAt" | "createdAt" | "-createdAt" | "title" | "-title";
      };
      path: {
        courseId: string;
      };
    };
    responses: {
      /** @description A page of assignments */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": {
            items: components["schemas"]["Assignment"][];
          };
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Create an assignment (a course has at most 500) */
  createAssignment: {
    parameters: {
      header?: {
        /** @description Makes a retry of this request safe: 1–255 visible ASCII characters (a quoted sf-string is the same key unquoted), unique per request you mean, kept 24 h. A repeat answers what the first got (Idempotent-Replayed: true). */
        "idempotency-key"?: string;
      };
      path: {
        courseId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          title: string;
          /** @default */
          description?: string;
          /** @default null */
          dueAt?: string | null;
          pointsPossible: number;
          /**
           * @default {
           *   "acceptLate": true,
           *   "penaltyPercentPerDay": 0,
           *   "maxLateDays": null
           * }
           */
          latePolicy?: components["schemas"]["LatePolicy"];
          /** @default null */
          maxAttempts?: number | null;
          /** @default false */
          published?: boolean;
        };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description "true" when this is the answer to an earlier request with the same key */
          "Idempotent-Replayed"?: string;
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Assignment"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch; idempotency-key-invalid */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description idempotency-key-in-use */
      409: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed; idempotency-key-reused; assignment-limit-reached */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** One assignment */
  getAssignment: {
    parameters: {
      path: {
        courseId: string;
        assignmentId: string;
      };
    };
    responses: {
      /** @description The assignment */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Assignment"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Change an assignment, with If-Match */
  updateAssignment: {
    parameters: {
      header: {
        /** @description The ETag of the version being replaced, e.g. "3" */
        "if-match": string;
      };
      path: {
        courseId: string;
        assignmentId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          title?: string;
          description?: string;
          dueAt?: string | null;
          pointsPossible?: number;
          latePolicy?: components["schemas"]["LatePolicy"];
          maxAttempts?: number | null;
          published?: boolean;
        };
      };
    };
    responses: {
      /** @description Updated */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Assignment"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-failed */
      412: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-required */
      428: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Submissions: all of them for the course's teachers, your own for a student */
  listSubmissions: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 */
        limit?: number;
        /** @description Opaque cursor from a Link header (base64url, at most 512 characters) */
        cursor?: string;
        /** @description Sort field; a leading - sorts descending */
        sort?: "submittedAt" | "-submittedAt";
        state?: "submitted" | "graded" | "returned";
        userId?: string;
      };
      path: {
        courseId: string;
        assignmentId: string;
      };
    };
    responses: {
      /** @description A page of submissions */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": {
            items: components["schemas"]["Submission"][];
          };
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Submit (a new attempt at) an assignment as an enrolled student: up to its maxAttempts, and never more than 100 */
  submit: {
    parameters: {
      header?: {
        /** @description Makes a retry of this request safe: 1–255 visible ASCII characters (a quoted sf-string is the same key unquoted), unique per request you mean, kept 24 h. A repeat answers what the first got (Idempotent-Replayed: true). */
        "idempotency-key"?: string;
      };
      path: {
        courseId: string;
        assignmentId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          body: string;
        };
      };
    };
    responses: {
      /** @description Submitted */
      201: {
        headers: {
          /** @description "true" when this is the answer to an earlier request with the same key */
          "Idempotent-Replayed"?: string;
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Submission"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch; idempotency-key-invalid */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description idempotency-key-in-use; conflict */
      409: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed; idempotency-key-reused; attempt-limit-reached */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** One submission (students: only their own) */
  getSubmission: {
    parameters: {
      path: {
        courseId: string;
        assignmentId: string;
        submissionId: string;
      };
    };
    responses: {
      /** @description The submission */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Submission"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Grade a submission (and optionally return it), with If-Match; the late penalty applies */
  gradeSubmission: {
    parameters: {
      header: {
        /** @description The ETag of the version being replaced, e.g. "3" */
        "if-match": string;
      };
      path: {
        courseId: string;
        assignmentId: string;
        submissionId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          score: number;
          /** @default */
          feedback?: string;
          /**
           * @default graded
           * @enum {string}
           */
          state?: "graded" | "returned";
        };
      };
    };
    responses: {
      /** @description Graded */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Submission"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-failed */
      412: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description precondition-required */
      428: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The course gradebook, a page of students at a time: each one's latest attempt per assignment (teachers and admins) */
  getGradebook: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 */
        limit?: number;
        /** @description Opaque cursor from a Link header (base64url, at most 512 characters) */
        cursor?: string;
        /** @description Sort field; a leading - sorts descending */
        sort?: "createdAt" | "-createdAt";
      };
      path: {
        courseId: string;
      };
    };
    responses: {
      /** @description A page of the gradebook */
      200: {
        headers: {
          /** @description The next and previous pages of students */
          Link?: string;
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Gradebook"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Your own grades in a course */
  getMyGrades: {
    parameters: {
      path: {
        courseId: string;
      };
    };
    responses: {
      /** @description Your row of the gradebook */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["Gradebook"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Record (or correct) a session's attendance for enrolled students */
  takeAttendance: {
    parameters: {
      path: {
        courseId: string;
        /** @description YYYY-MM-DD */
        sessionDate: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          records: ({
              /** Format: uuid */
              userId: string;
              /** @enum {string} */
              status: "present" | "absent" | "late" | "excused";
              /** @default */
              note?: string;
            })[];
        };
      };
    };
    responses: {
      /** @description The session's records this request wrote, as stored (all of them: GET …/attendance?sessionDate=) */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["AttendanceList"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description unsupported-media-type */
      415: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Attendance records: all for the course's teachers, your own for a student */
  listAttendance: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 */
        limit?: number;
        /** @description Opaque cursor from a Link header (base64url, at most 512 characters) */
        cursor?: string;
        /** @description Sort field; a leading - sorts descending */
        sort?: "sessionDate" | "-sessionDate";
        sessionDate?: string;
        userId?: string;
        status?: "present" | "absent" | "late" | "excused";
      };
      path: {
        courseId: string;
      };
    };
    responses: {
      /** @description A page of attendance records */
      200: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/json": components["schemas"]["AttendanceList"];
        };
      };
      /** @description malformed-request; tenant-required; tenant-mismatch */
      400: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description invalid-token; token-tenant-mismatch; unauthenticated */
      401: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description The authentication scheme: Bearer */
          "WWW-Authenticate"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-suspended; forbidden; password-change-required */
      403: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-not-found; not-found */
      404: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-gone */
      410: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description payload-too-large */
      413: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description validation-failed */
      422: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-lookups-throttled; rate-limited */
      429: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description internal */
      500: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description tenant-provisioning; tenant-moving; registry-unavailable; revocation-check-unavailable; deadline-exceeded; overloaded; cluster-unavailable; capacity-exhausted; draining */
      503: {
        headers: {
          /** @description The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields) */
          RateLimit?: string;
          /** @description The tenant's request quota and its window */
          "RateLimit-Policy"?: string;
          /** @description Seconds to wait before trying again */
          "Retry-After"?: string;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
}
