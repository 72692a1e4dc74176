import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { DeadlineExceeded } from '../http/deadline.ts';
import { ApiProblem, problemBody } from './catalogue.ts';

/** Turns a zod failure into the issues list of a `validation-failed` problem. */
export function validationProblem(error: ZodError): ApiProblem {
  return new ApiProblem('validation-failed', {
    issues: error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      code: issue.code,
      message: issue.message,
    })),
  });
}

function toProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof ZodError) return validationProblem(error);
  // The request's time ran out somewhere no component turned it into a problem of its own.
  if (error instanceof DeadlineExceeded) {
    return new ApiProblem('deadline-exceeded', { cause: error, headers: { 'Retry-After': '1' } });
  }
  // koa-body and Koa itself throw http-errors with `expose` for client mistakes (bad JSON, too large).
  const http = error as { status?: number; expose?: boolean; message?: string };
  // The router answers methods it does not know at all (TRACE, …) with 501: to a client that is a 405.
  if (http?.status === 501) return new ApiProblem('method-not-allowed');
  if (http?.expose && typeof http.status === 'number' && http.status >= 400 && http.status < 500) {
    if (http.status === 404) return new ApiProblem('not-found');
    if (http.status === 405) return new ApiProblem('method-not-allowed');
    return new ApiProblem('malformed-request', { detail: http.message });
  }
  return new ApiProblem('internal', { cause: error });
}

/**
 * Renders every failure as RFC 9457 problem+json. Client errors are logged at debug, server errors
 * at error with the cause; the response never carries more than the catalogue allows.
 */
export function problemMiddleware(logger: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiProblem('not-found');
    } catch (error) {
      const problem = toProblem(error);
      if (problem.status === 500)
        logger.error({ err: problem.cause ?? error, code: problem.code }, 'request failed');
      else if (problem.status >= 500 && problem.cause !== undefined) {
        // A dependency failed (it is named in the code and cause): a warning, without a stack per request.
        const cause = problem.cause as { name?: string; message?: string };
        logger.warn(
          { code: problem.code, cause: { name: cause.name, message: cause.message } },
          'request failed',
        );
      } else logger.debug({ code: problem.code }, 'request refused');
      ctx.status = problem.status;
      for (const [name, value] of Object.entries(problem.headers)) ctx.set(name, value);
      ctx.type = 'application/problem+json';
      ctx.body = problemBody(problem, ctx.state.requestId as string | undefined);
    }
  };
}
