import type Router from '@koa/router';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { requireRole, type TenantState } from '../app/tenant-context.ts';
import { ApiProblem } from '../errors/catalogue.ts';

export const CourseCreate = z.strictObject({
  title: z.string().trim().min(1).max(200),
  code: z.string().trim().min(1).max(40),
  description: z.string().max(10_000).default(''),
  state: z.enum(['draft', 'published', 'archived']).default('draft'),
});

export const CourseListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().uuid().optional(),
});

export const CourseIdParam = z.string().uuid();

function present(course: {
  _id: string;
  title: string;
  code: string;
  description: string;
  state: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}) {
  return {
    id: course._id,
    title: course.title,
    code: course.code,
    description: course.description,
    state: course.state,
    version: course.version,
    createdAt: course.createdAt.toISOString(),
    updatedAt: course.updatedAt.toISOString(),
  };
}

/** Courses of the request's tenant. Ids are UUIDv7, so id order is creation order and cursors stay stable. */
export function courseRoutes(router: Router<TenantState>): void {
  router.get('/v1/courses', requireRole('admin', 'teacher', 'student'), async (ctx) => {
    const query = CourseListQuery.parse(ctx.query);
    const filter = query.after ? { _id: { $gt: query.after } } : {};
    const docs = await ctx.state.db.models.Course.find(filter)
      .sort({ _id: 1 })
      .limit(query.limit + 1)
      .lean();
    const page = docs.slice(0, query.limit);
    if (docs.length > query.limit) {
      const next = new URL(ctx.href);
      next.searchParams.set('after', String(page.at(-1)?._id));
      next.searchParams.set('limit', String(query.limit));
      ctx.set('Link', `<${next.pathname}${next.search}>; rel="next"`);
    }
    ctx.body = { items: page.map(present) };
  });

  router.get('/v1/courses/:id', requireRole('admin', 'teacher', 'student'), async (ctx) => {
    const id = CourseIdParam.safeParse(ctx.params.id);
    if (!id.success) throw new ApiProblem('not-found');
    const course = await ctx.state.db.models.Course.findById(id.data).lean();
    if (!course) throw new ApiProblem('not-found');
    ctx.set('ETag', `"${course.version}"`);
    ctx.body = present(course);
  });

  router.post('/v1/courses', requireRole('admin', 'teacher'), async (ctx) => {
    const body = CourseCreate.parse(ctx.request.body ?? {});
    const created = await ctx.state.db.models.Course.create({ _id: uuidv7(), ...body, version: 1 });
    ctx.status = 201;
    ctx.set('Location', `/v1/courses/${created._id}`);
    ctx.body = present(created.toObject());
  });
}
