import { type Logger, pino } from 'pino';
import { requestFactsMixin } from './request-context.ts';

/**
 * JSON logs. Fields that could carry a secret are redacted wherever they appear, as a second line
 * of defence: the code never logs a URI, a password or a token on purpose.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'atrium-api' },
      mixin: requestFactsMixin,
      timestamp: pino.stdTimeFunctions.isoTime,
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
    destination,
  );
}
