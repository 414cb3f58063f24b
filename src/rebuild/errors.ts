import { NospyError } from '../errors/nospy-error.js';

/** The closed set of codes of `nospy rebuild` (bad input or I/O; a verdict is data, never thrown). */
export type RebuildErrorCode =
  | 'REBUILD_RELEASE_INVALID'
  | 'REBUILD_INPUT_UNREADABLE'
  | 'REBUILD_RELEASED_IMAGE_UNAVAILABLE'
  | 'REBUILD_RELEASED_IMAGE_MISMATCH'
  | 'REBUILD_BLOB_UPLOAD_FAILED';

/** A rebuild attestation that cannot be made: no such release, no released image to compare. */
export class RebuildError extends NospyError<RebuildErrorCode> {
  override readonly name = 'RebuildError';
}
