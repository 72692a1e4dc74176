import { AsyncLocalStorage } from 'node:async_hooks';
import type { Deadline } from '../http/deadline.ts';

/**
 * Per-request facts: what every log line carries, and the deadline every wait on the request's
 * behalf inherits, without passing either around.
 */
export interface RequestFacts {
  requestId: string;
  tenantId?: string;
  deadline?: Deadline;
}

export const requestContext = new AsyncLocalStorage<RequestFacts>();

/** pino `mixin`: adds requestId and tenantId to lines logged while serving a request. */
export function requestFactsMixin(): Partial<RequestFacts> {
  const facts = requestContext.getStore();
  if (!facts) return {};
  return facts.tenantId
    ? { requestId: facts.requestId, tenantId: facts.tenantId }
    : { requestId: facts.requestId };
}
