import { NospyError } from '../errors/nospy-error.js';

export type ConfigErrorCode =
  'CONFIG_NOT_FOUND' | 'CONFIG_UNREADABLE' | 'CONFIG_SYNTAX' | 'CONFIG_INVALID';

/** A configuration file, environment variable or flag that is missing, unreadable or wrong. */
export class ConfigError extends NospyError<ConfigErrorCode> {
  override readonly name = 'ConfigError';
}
