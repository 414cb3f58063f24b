import type { ErrorCode } from './catalogue.js';

/**
 * The base of every domain's error class. A NospyError is for bad input, I/O failures and bugs;
 * findings are data and never thrown. Its `code` is one of the closed set in the catalogue, which
 * decides the CLI exit code and the HTTP status.
 */
export class NospyError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name: string = 'NospyError';
  readonly code: C;
  /** Where the problem is: a file:line:column, a field path, a URL, a byte offset. */
  readonly where: string | undefined;

  constructor(code: C, message: string, options?: { where?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.where = options?.where;
  }
}

export function isNospyError(value: unknown): value is NospyError {
  return value instanceof NospyError;
}
