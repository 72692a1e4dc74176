import type { ParameterizedContext } from 'koa';
import type { Model } from 'mongoose';
import { z } from 'zod';
import { ApiProblem } from '../errors/catalogue.ts';

/**
 * Cursor pagination over (sort field, _id). The cursor holds the last row's sort value and id, so
 * rows inserted while a client pages through appear once or not at all, never twice; ids are
 * UUIDv7, so ties on the sort field still come in creation order.
 */
const Cursor = z.strictObject({
  s: z.string(),
  v: z.union([z.string(), z.number(), z.null(), z.strictObject({ d: z.string() })]),
  id: z.string(),
  dir: z.enum(['next', 'prev']),
});
type Cursor = z.infer<typeof Cursor>;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string, sort: string): Cursor {
  try {
    const cursor = Cursor.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    if (cursor.s !== sort) throw new Error('sort changed');
    return cursor;
  } catch {
    throw new ApiProblem('validation-failed', {
      issues: [
        { path: ['query', 'cursor'], code: 'invalid_cursor', message: 'not a cursor of this list and sort' },
      ],
    });
  }
}

/** The query of a list: bounded limit, opaque cursor, an allow-listed sort, plus the list's filters. */
export function listQuery<S extends string, F extends z.ZodRawShape>(
  sorts: readonly [S, ...S[]],
  filters: F,
) {
  const sortValues = sorts.flatMap((s) => [s, `-${s}`]) as [string, ...string[]];
  return z.strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(25).meta({ description: 'Page size, 1–100' }),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,512}$/)
      .optional()
      .meta({ description: 'Opaque cursor from a Link header (base64url, at most 512 characters)' }),
    sort: z
      .enum(sortValues)
      .default(sorts[0])
      .meta({ description: 'Sort field; a leading - sorts descending' }),
    ...filters,
  });
}

type SortValue = Cursor['v'];
const toCursorValue = (v: unknown): SortValue =>
  v instanceof Date ? { d: v.toISOString() } : typeof v === 'number' || typeof v === 'string' ? v : null;
const fromCursorValue = (v: SortValue): unknown => (v !== null && typeof v === 'object' ? new Date(v.d) : v);

export interface Page<T> {
  items: T[];
}

/**
 * Runs one page of `filter` on `model` and sets the Link header (rel next / prev). `field` maps a
 * public sort name to the stored field.
 */
export async function paginate<D extends { _id: string }, T>(
  ctx: ParameterizedContext,
  model: Model<D>,
  filter: Record<string, unknown>,
  query: { limit: number; cursor?: string | undefined; sort: string },
  options: { field?: (sort: string) => string; present: (doc: D) => T },
): Promise<Page<T>> {
  const descending = query.sort.startsWith('-');
  const name = descending ? query.sort.slice(1) : query.sort;
  const field = options.field?.(name) ?? name;
  const cursor = query.cursor ? decodeCursor(query.cursor, query.sort) : undefined;
  const backwards = cursor?.dir === 'prev';
  // Walking backwards is walking forwards in the opposite order, then reversing the page.
  const ascending = descending === backwards;
  const op = ascending ? '$gt' : '$lt';
  const conditions: Record<string, unknown>[] = [filter];
  if (cursor) {
    const value = fromCursorValue(cursor.v);
    conditions.push(
      field === '_id'
        ? { _id: { [op]: cursor.id } }
        : { $or: [{ [field]: { [op]: value } }, { [field]: value, _id: { [op]: cursor.id } }] },
    );
  }
  const direction = ascending ? 1 : -1;
  const sortSpec: Record<string, 1 | -1> =
    field === '_id' ? { _id: direction } : { [field]: direction, _id: direction };
  const rows = (await model
    .find(conditions.length === 1 ? filter : { $and: conditions })
    .sort(sortSpec)
    .limit(query.limit + 1)
    .lean()) as unknown as D[];
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  if (backwards) page.reverse();

  const links: string[] = [];
  const link = (row: D | undefined, dir: 'next' | 'prev') => {
    if (!row) return;
    const url = new URL(ctx.href);
    url.searchParams.set(
      'cursor',
      encodeCursor({
        s: query.sort,
        v: toCursorValue((row as Record<string, unknown>)[field]),
        id: row._id,
        dir,
      }),
    );
    url.searchParams.set('limit', String(query.limit));
    url.searchParams.set('sort', query.sort);
    links.push(`<${url.pathname}${url.search}>; rel="${dir}"`);
  };
  if (backwards ? true : more) link(page.at(-1), 'next');
  if (backwards ? more : cursor !== undefined) link(page[0], 'prev');
  if (links.length) ctx.set('Link', links.join(', '));
  return { items: page.map(options.present) };
}
