import type { ParameterizedContext } from 'koa';
import type { Model } from 'mongoose';
import { z } from 'zod';
import { ApiProblem } from '../errors/catalogue.ts';

/**
 * Optimistic concurrency: every mutable resource has a `version`; its ETag is that version, and
 * an update must send it back in If-Match. A stale one gets 412, a missing one 428 — so two
 * editors never silently overwrite each other.
 */
export const IfMatchHeader = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"\d+"$/)
    .meta({ description: 'The ETag of the version being replaced, e.g. "3"' }),
});

export function etag(version: number): string {
  return `"${version}"`;
}

/** The version the client says it is replacing. */
export function expectedVersion(ctx: ParameterizedContext): number {
  const header = ctx.get('if-match');
  if (!header) throw new ApiProblem('precondition-required');
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match) throw new ApiProblem('precondition-failed');
  return Number(match[1]);
}

/**
 * Applies `changes` (and `increments`) to the document matching `filter`, only if it is still at
 * the version the client sent in If-Match; bumps the version and sets the new ETag. A stale version
 * is 412, a missing document 404. Documents written before versions existed (the operator's admin
 * seed) count as version 1.
 */
export async function updateVersioned<D extends { version: number }>(
  ctx: ParameterizedContext,
  model: Model<D>,
  filter: Record<string, unknown>,
  changes: Record<string, unknown>,
  increments: Record<string, number> = {},
): Promise<D> {
  const version = expectedVersion(ctx);
  const updated = (await model
    .findOneAndUpdate(
      { ...filter, version: version === 1 ? { $in: [1, null] } : version },
      {
        $set: { ...changes, version: version + 1 },
        ...(Object.keys(increments).length ? { $inc: increments } : {}),
      },
      { returnDocument: 'after' },
    )
    .lean()) as D | null;
  if (!updated) throw new ApiProblem((await model.exists(filter)) ? 'precondition-failed' : 'not-found');
  ctx.set('ETag', etag(updated.version));
  return updated;
}
