/**
 * The base of every domain's error class. It imports nothing: a domain's `errors.ts` declares its
 * closed union of codes and extends `NospyError<ItsCode>`, and only the edges map codes to what
 * they answer (the CLI's exit codes in `src/cli/exit-codes.ts`, the server's HTTP statuses in
 * `src/server/http-status.ts`), so a pure core never depends on its callers.
 *
 * A NospyError is for bad input, I/O failures and bugs; findings are data and never thrown.
 */
export class NospyError<C extends string = string> extends Error {
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

/**
 * The code of a state the program should never reach (a bug, not bad input). Every edge answers
 * it as an internal error, and so answers any code it has no entry for.
 */
export type InternalErrorCode = 'INTERNAL';

export function isNospyError(value: unknown): value is NospyError {
  return value instanceof NospyError;
}
