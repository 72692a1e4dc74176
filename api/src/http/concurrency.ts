import type { ParameterizedContext } from 'koa';
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
