/**
 * The storage port of a witness (c2sp.org/tlog-witness): the latest checkpoint it cosigned per
 * log. The witness server only sees this interface; `SqliteWitnessStore`
 * (`sqlite/sqlite-witness-store.ts`) is the embedded adapter.
 */

/** What a witness remembers per log: the latest checkpoint it cosigned (c2sp.org/tlog-witness). */
export interface WitnessLogState {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  /** The signed checkpoint note the witness cosigned. */
  readonly note: string;
}

/** The witness's storage port: what any witness store adapter implements. */
export interface WitnessStorePort {
  latest(origin: string): Promise<WitnessLogState | undefined>;
  /** Every log's state (a witness follows a handful of logs). */
  all(): Promise<WitnessLogState[]>;
  /**
   * Replaces the state of `next.origin` only if it is still `expectedSize` (compare-and-swap),
   * durably, before the witness replies. Returns false when another request got there first.
   */
  advance(next: WitnessLogState, expectedSize: number | undefined): Promise<boolean>;
  close(): Promise<void>;
}
