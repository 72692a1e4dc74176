import { type Logger, pino } from 'pino';
import { requestFactsMixin } from './request-context.ts';

let lastMs = -1;
let lastStamp = '';
/** pino's isoTime, formatted once per millisecond: under load many lines share one. */
function isoTimeCachedPerMs(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastStamp = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastStamp;
}

/**
 * JSON logs. Fields that could carry a secret are redacted wherever they appear, as a second line
 * of defence: the code never logs a URI, a password or a token on purpose.
 *
 * By default lines go to stdout asynchronously: while one write is in flight the next lines gather
 * in a buffer, so a busy pod makes one write per batch rather than one per line. pino flushes the
 * buffer synchronously when the process exits.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'atrium-api' },
      mixin: requestFactsMixin,
      timestamp: isoTimeCachedPerMs,
      redact: {
        paths: [
          'dbURI',
          '*.dbURI',
          'apiURI',
          '*.apiURI',
          'uri',
          '*.uri',
          'password',
          '*.password',
          'token',
          '*.token',
          'signingKeys',
          '*.signingKeys',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
