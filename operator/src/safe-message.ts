import * as k8s from '@kubernetes/client-node';

/**
 * What of an error may reach status, events and logs: the first line, credentials in any
 * connection string removed, bounded length. Kubernetes API errors are reduced to their status
 * code (their text quotes whole requests and responses).
 */
export function safeMessage(error: unknown): string {
  if (error instanceof k8s.ApiException) return `Kubernetes API answered ${error.code}`;
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '')
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, '$1***@')
    .replace(/(password|pwd|secret|token)\s*[:=]\s*\S+/gi, '$1=***')
    .slice(0, 512);
}

/** An error's class and safe message, for logs. */
export function describeError(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  return `${name}: ${safeMessage(error)}`;
}
