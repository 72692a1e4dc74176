import { z } from 'zod';
import { assignmentRoutes } from '../assignments/routes.ts';
import { attendanceRoutes } from '../attendance/routes.ts';
import { authRoutes } from '../auth/routes.ts';
import { courseRoutes } from '../courses/routes.ts';
import { enrollmentRoutes } from '../enrollments/routes.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { lessonRoutes } from '../lessons/routes.ts';
import { submissionRoutes } from '../submissions/routes.ts';
import { userRoutes } from '../users/routes.ts';

const TenantInfo = z
  .object({ id: z.string(), subdomain: z.string(), displayName: z.string(), plan: z.string() })
  .meta({ id: 'TenantInfo' });

/** Every tenant route of the API, in one list: mounted on the router and documented from the same specs. */
export function apiRoutes(deps: RouteDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/tenant',
      operationId: 'getTenant',
      summary: 'The tenant the request resolved to (for a login page: its name and plan)',
      tag: 'tenant',
      access: 'tenant',
      database: false,
      responses: { 200: { description: 'The tenant', schema: TenantInfo } },
      handler: (ctx) => {
        const t = ctx.state.tenant;
        ctx.body = { id: t.tenantId, subdomain: t.subdomain, displayName: t.displayName, plan: t.plan };
      },
    }),
    ...authRoutes(deps),
    ...userRoutes(deps),
    ...courseRoutes(),
    ...enrollmentRoutes(),
    ...lessonRoutes(),
    ...assignmentRoutes(),
    ...submissionRoutes(deps),
    ...attendanceRoutes(),
  ];
}
