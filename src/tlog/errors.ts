import { NospyError } from '../errors/nospy-error.js';

/** Every way transparency-log material can be malformed or fail to verify. */
export type TlogErrorCode =
  | 'TLOG_KEY_INVALID'
  | 'TLOG_NOTE_INVALID'
  | 'TLOG_SIGNATURE_INVALID'
  | 'TLOG_CHECKPOINT_INVALID'
  | 'TLOG_QUORUM_NOT_MET'
  | 'TLOG_PROOF_INVALID'
  | 'TLOG_PROOF_BUNDLE_INVALID'
  | 'TLOG_INDEX_OUT_OF_RANGE'
  | 'TLOG_TILE_PATH_INVALID'
  | 'TLOG_TILE_INVALID'
  | 'TLOG_ENTRY_TOO_LARGE'
  | 'TLOG_WITNESS_REQUEST_INVALID'
  | 'TLOG_WITNESS_REQUEST_TOO_LARGE';

/** Malformed or unverifiable transparency-log material: keys, notes, proofs, tiles. */
export class TlogError extends NospyError<TlogErrorCode> {
  override readonly name = 'TlogError';
}
