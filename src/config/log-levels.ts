/**
 * The log levels a configuration or `--log-level` may name. In a module of its own so that the
 * CLI's option table does not load the configuration schema (and zod) to list them.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
