import { NospyError } from '../errors/nospy-error.js';

/**
 * - TRAFFIC_STORE_MISSING: a traffic store to be read (by `nospy check` or the API) does not
 *   exist: an empty report would read as an all-clear, so it is an error instead.
 * - TRAFFIC_STORE_UNSUPPORTED: a traffic store URL no adapter here opens.
 */
export type TrafficErrorCode = 'TRAFFIC_STORE_MISSING' | 'TRAFFIC_STORE_UNSUPPORTED';

/** A traffic store that cannot be opened. */
export class TrafficError extends NospyError<TrafficErrorCode> {
  override readonly name = 'TrafficError';
}
