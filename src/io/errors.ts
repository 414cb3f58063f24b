import { NospyError } from '../errors/nospy-error.js';

/**
 * - INPUT_NOT_FOUND: no file at the path given.
 * - INPUT_IS_DIRECTORY: a directory where a file was expected.
 * - INPUT_TOO_LARGE: a file, pipe or device that holds more bytes than the limit.
 * - INPUT_UNREADABLE: a file that cannot be opened or read (permissions, I/O error).
 */
export type InputErrorCode =
  'INPUT_NOT_FOUND' | 'INPUT_IS_DIRECTORY' | 'INPUT_TOO_LARGE' | 'INPUT_UNREADABLE';

/** A file given on the command line that cannot be read within its limit. */
export class InputError extends NospyError<InputErrorCode> {
  override readonly name = 'InputError';
}
