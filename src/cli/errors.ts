import { NospyError } from '../errors/nospy-error.js';

export type CliErrorCode = 'CLI_USAGE' | 'CLI_UNSUPPORTED_NODE';

/** A command line that cannot be carried out as written. */
export class CliError extends NospyError<CliErrorCode> {
  override readonly name = 'CliError';
}
