import { NospyError } from '../errors/nospy-error.js';

export type StoreErrorCode =
  | 'STORE_IO'
  | 'STORE_FULL'
  | 'STORE_CONFLICT'
  | 'STORE_CORRUPT'
  | 'STORE_UNREACHABLE'
  | 'STORE_AUTH'
  | 'STORE_SCHEMA'
  | 'STORE_NOT_EMPTY';

/**
 * The storage behind the log failed: the database could not be opened or written
 * (STORE_IO), its disk or its page quota is full and it cannot write until space is freed
 * (STORE_FULL: a retry may succeed), another writer changed the log under us (STORE_CONFLICT), or what is stored
 * contradicts itself (STORE_CORRUPT). A database server cannot be reached (STORE_UNREACHABLE),
 * refuses the credentials (STORE_AUTH), or holds a schema newer than this nospy knows
 * (STORE_SCHEMA: an older binary must not write to it). A log copied into a store that already
 * holds one is refused (STORE_NOT_EMPTY).
 */
export class StoreError extends NospyError<StoreErrorCode> {
  override readonly name = 'StoreError';
}
