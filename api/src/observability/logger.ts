import { type Logger, pino } from 'pino';
import { type Clock, systemClock } from '../../../contract/src/clock.ts';
import { requestFactsMixin } from './request-context.ts';

/** pino's isoTime on `clock`, formatted once per millisecond: under load many lines share one. */
function isoTimeCachedPerMs(clock: Clock): () => string {
  let lastMs = -1;
  let lastStamp = '';
  return () => {
    const ms = clock.now();
    if (ms !== lastMs) {
      lastMs = ms;
      lastStamp = `,"time":"${new Date(ms).toISOString()}"`;
    }
    return lastStamp;
  };
}

/**
 * JSON logs. Fields that could carry a secret are redacted wherever they appear, as a second line
 * of defence: the code never logs a URI, a password or a token on purpose.
 *
 * By default lines go to stdout through `logDestination`.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  clock: Clock = systemClock,
): Logger {
  return pino(
    {
      level,
      base: { service: 'atrium-api' },
      mixin: requestFactsMixin,
      timestamp: isoTimeCachedPerMs(clock),
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
  // The machine's clock, whatever the pod's: a test's manual clock must not hold its lines back.
  const timer = systemClock.setInterval(() => {
    try {
      stream.flush();
    } catch {
      // Not open yet, or already closed: the next tick or the exit flush writes it.
    }
  }, 200);
  stream.on('close', () => timer.cancel());
  return stream;
}
