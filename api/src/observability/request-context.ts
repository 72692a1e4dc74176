import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request facts every log line carries, without passing a logger around. */
export interface RequestFacts {
  requestId: string;
  tenantId?: string;
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
