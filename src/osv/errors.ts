import { NospyError } from '../errors/nospy-error.js';

export type OsvErrorCode = 'OSV_UNREADABLE' | 'OSV_ZIP_INVALID' | 'OSV_LIMIT' | 'OSV_QUERY_INVALID';

/** OSV data that cannot be read (missing path, broken zip, a bound exceeded) or a bad query. */
export class OsvError extends NospyError<OsvErrorCode> {
  override readonly name = 'OsvError';
}
