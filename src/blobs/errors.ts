import { NospyError } from '../errors/nospy-error.js';

export type BlobErrorCode =
  | 'BLOB_DIGEST_INVALID'
  | 'BLOB_DIGEST_MISMATCH'
  | 'BLOB_TOO_LARGE'
  | 'BLOB_NOT_FOUND'
  | 'BLOB_IO'
  | 'BLOB_UNAUTHORIZED'
  | 'BLOB_SERVER_FAILED';

/** The content-addressed blob store: bad digests, content not matching its digest, size, I/O, an unauthenticated writer. */
export class BlobError extends NospyError<BlobErrorCode> {
  override readonly name = 'BlobError';
}
