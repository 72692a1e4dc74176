import {
  MongoClientClosedError,
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { DeadlineExceeded } from '../http/deadline.ts';

/**
 * Why a database operation failed, when it is not the request's fault nor a bug:
 *
 * - `unreachable`: the cluster did not answer — a network error or timeout, no server to select,
 *   no pooled connection free within the wait-queue timeout (in a stall the pool's connections are
 *   all held by operations waiting for replies, and new ones cannot be opened), an operation still
 *   waiting when the request's deadline passed, the server stopping it at its `maxTimeMS`, or a
 *   server saying it is shutting down or not primary. The cluster's breaker counts these: under
 *   mere load successes come between them, so only a cluster that stops answering trips it.
 * - `unavailable`: this pod could not use the cluster just now, through no fault of the cluster —
 *   a pool being closed (evicted, shutting down), a server reporting overload. 503 with
 *   Retry-After, and the breaker is not told.
 *
 * Anything else (a bad query, a duplicate key, a bug) is undefined: the caller's to handle, or a 500.
 */
export type DatabaseFailure = 'unreachable' | 'unavailable';

/** Server error codes that say the server cannot serve now (the SDAM and retryable-error lists). */
const UNREACHABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  50, // MaxTimeMSExpired: the server gave up at the request's deadline
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10058, // LegacyNotPrimary
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Pool errors the driver does not export as classes: recognised by name. */
const POOL_EXHAUSTED = 'MongoWaitQueueTimeoutError';
const POOL_CLOSED = 'MongoPoolClosedError';

/** Socket errors that can surface unwrapped when a server dies mid-conversation. */
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH']);

export function databaseFailure(error: unknown): DatabaseFailure | undefined {
  type Chain = { name?: string; code?: unknown; cause?: unknown } | undefined;
  for (let e = error as Chain, depth = 0; e && depth < 4; depth++) {
    if (e instanceof DeadlineExceeded) {
      // Waiting on the database when the deadline came: the cluster was too slow. A deadline that
      // passed elsewhere (before the operation started) is not the cluster's doing.
      return e.waitingFor === 'database' || e.waitingFor === 'registry' ? 'unreachable' : undefined;
    }
    if (
      e instanceof MongoNetworkError ||
      e instanceof MongoServerSelectionError ||
      e.name === 'MongooseServerSelectionError' ||
      e.name === POOL_EXHAUSTED
    ) {
      return 'unreachable';
    }
    if (e instanceof MongoServerError && typeof e.code === 'number' && UNREACHABLE_CODES.has(e.code)) {
      return 'unreachable';
    }
    if (e instanceof MongoError && e.hasErrorLabel('SystemOverloadedError')) return 'unavailable';
    if (
      e instanceof MongoTopologyClosedError ||
      e instanceof MongoNotConnectedError ||
      e instanceof MongoServerClosedError ||
      e instanceof MongoClientClosedError ||
      e.name === POOL_CLOSED
    ) {
      return 'unavailable';
    }
    if (typeof e.code === 'string' && SOCKET_CODES.has(e.code)) return 'unreachable';
    e = e.cause as Chain;
  }
  return undefined;
}
