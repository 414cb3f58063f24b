import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Fields whose values never reach a log line. */
const REDACTED = [
  'token',
  'password',
  'secret',
  'privateKey',
  '*.token',
  '*.password',
  '*.secret',
  '*.privateKey',
  'req.headers.authorization',
  'headers.authorization',
];

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  /** Human-readable lines instead of JSON; only when asked for. */
  readonly pretty: boolean;
  /** Defaults to standard error, so stdout carries only results. */
  readonly destination?: NodeJS.WritableStream;
}

/** Structured JSON lines on stderr (pretty only when asked), with secrets redacted. */
export function createLogger(options: LoggerOptions): Logger {
  const base = { level: options.level, redact: { paths: REDACTED, censor: '[redacted]' } };
  if (options.pretty) {
    return pino(
      base,
      pretty({ destination: options.destination ?? process.stderr, sync: true, colorize: false }),
    );
  }
  return pino(base, options.destination ?? pino.destination({ fd: 2, sync: true }));
}
