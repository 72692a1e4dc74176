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
 * By default lines go to stdout through `logDestination`.
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
    destination ?? logDestination(1),
  );
}

/**
 * Where log lines go: asynchronous and buffered, written in chunks of at least 4 KiB or every
 * 200 ms, whichever comes first, so a busy pod makes one write per chunk rather than one per line.
 * pino flushes what is left synchronously when the process exits.
 */
export function logDestination(dest: number | string): pino.DestinationStream {
  const stream = pino.destination({ dest, sync: false, minLength: 4_096 });
  const timer = setInterval(() => {
    try {
      stream.flush();
    } catch {
      // Not open yet, or already closed: the next tick or the exit flush writes it.
    }
  }, 200);
  timer.unref();
  stream.on('close', () => clearInterval(timer));
  return stream;
}
