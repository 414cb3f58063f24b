import { NospyError } from '../errors/nospy-error.js';

export type TlogErrorCode = 'TLOG_KEY_INVALID';

/** Malformed or unverifiable transparency-log material: keys, notes, proofs, tiles. */
export class TlogError extends NospyError<TlogErrorCode> {
  override readonly name = 'TlogError';
}
