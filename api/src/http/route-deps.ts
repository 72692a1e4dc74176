import type { Clock } from '../../../contract/src/clock.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import type { AccountRevocations } from '../auth/revocations.ts';

/** What route handlers need beyond the request: passed in, so tests build the real thing. */
export interface RouteDeps {
  revocations: AccountRevocations;
  throttle: LoginThrottle;
  accessTtlSeconds: number;
  /** How long a refresh token lives unused: each rotation issues one with this lifetime… */
  refreshTtlSeconds: number;
  /** …but never past this long after the login that started its family. */
  refreshFamilyMaxSeconds: number;
  /** Token times, due dates, grading and submission times. */
  clock: Clock;
}
