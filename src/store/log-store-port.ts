/**
 * The storage port of the transparency log. The sequencer and the HTTP server only see this
 * interface; the embedded SQLite adapter (`SqliteLogStore`, `sqlite/sqlite-log-store.ts`) is the
 * default and a PostgreSQL adapter can implement the same contract without touching the
 * sequencer.
 *
 * Everything is async so that a networked database fits. The one write of the hot path,
 * `integrate`, is a single unit of work: every row of a batch and the checkpoint that covers it
 * become visible together or not at all, and once it resolves they survive a crash.
 */

/** One stored row of hashes at tile level `level` (c2sp.org/tlog-tiles): up to 256 × 32 bytes. */
export interface TileRow {
  readonly level: number;
  readonly index: number;
  /** The first `hashes.length / 32` hashes of the tile; a full tile is 8,192 bytes. */
  readonly hashes: Buffer;
}

/** A signed checkpoint as the log keeps it. */
export interface StoredCheckpoint {
  readonly size: number;
  readonly rootHash: Buffer;
  /** The signed note exactly as the log signed it. */
  readonly note: string;
  /** The same note with the witnesses' cosignature lines appended, once any were gathered. */
  readonly cosignedNote: string | undefined;
}

/** A new entry and where it landed; the store keeps its bytes and indexes its leaf hash. */
export interface IndexedLeaf {
  readonly index: number;
  readonly leafHash: Buffer;
  readonly entry: Uint8Array;
}

/** Everything one sequencing batch changes, written atomically by `integrate`. */
export interface IntegrationBatch {
  /** The tree size the batch was built on; the store refuses the batch if it has moved on. */
  readonly fromSize: number;
  readonly leaves: readonly IndexedLeaf[];
  /** Tile rows to write: each replaces the stored row of the same (level, index), which it extends. */
  readonly tiles: readonly TileRow[];
  /** The checkpoint that covers the batch, `checkpoint.size` = fromSize + leaves.length. */
  readonly checkpoint: Omit<StoredCheckpoint, 'cosignedNote'>;
  /**
   * When checkpoints covering the batch were first signed, kept per size so "when was entry i
   * logged" has an answer: for the sequencer, its one checkpoint's; for a copy of a log, the
   * source's sign times for the sizes inside the batch (fromSize < size ≤ checkpoint.size).
   */
  readonly signTimes: readonly SignTime[];
}

/** A checkpoint size and when it was first signed (UTC ms; null: a time nobody kept). */
export interface SignTime {
  readonly size: number;
  readonly at: number | null;
}

/** Which log a store holds, so a store is never reopened with another key. */
export interface LogIdentity {
  readonly origin: string;
  readonly vkey: string;
}

/**
 * One logged statement as the statement index keeps it: derived from the entry at `index` (a
 * DSSE envelope holding an in-toto Statement), so it can always be rebuilt from the log.
 */
export interface StatementIndexRow {
  readonly index: number;
  /** The predicate's short name (`release`, `access`, …). */
  readonly type: string;
  readonly vendor: string | undefined;
  /** `sha256:<hex>` of each subject. */
  readonly subjects: readonly string[];
  /** Hex SHA-256 of the statement's signed bytes (its DSSE PAE): one statement, one payload. */
  readonly payload?: string;
  /**
   * The latest earlier entry holding the same payload, when there is one: this entry is that
   * statement again with more signatures (a late countersignature).
   */
  readonly extends?: number;
}

/** What `findStatements` filters on; every given field must match. */
export interface StatementQuery {
  readonly type?: string | undefined;
  readonly vendor?: string | undefined;
  /** `sha256:<hex>`: statements with this subject digest. */
  readonly subject?: string | undefined;
  /** Hex SHA-256 of a DSSE PAE: the entries holding this signed payload. */
  readonly payload?: string | undefined;
  /** Only indexes ≥ this (paging) and < `below` (the published size). */
  readonly from?: number | undefined;
  readonly below: number;
  readonly limit: number;
}

/** The log's storage port: what any log store adapter implements. */
export interface LogStorePort {
  /** Records the identity on first use; returns the identity already recorded otherwise. */
  claimIdentity(identity: LogIdentity): Promise<LogIdentity>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  /** The stored row of hashes at (tile level, tile index), partial or full, or undefined. */
  readTile(level: number, index: number): Promise<Buffer | undefined>;
  /**
   * Up to `count` entries from index `start` on, in order (fewer at the end of the log). Entry
   * bundles are assembled from these, so a batch writes each entry once rather than rewriting
   * a growing partial bundle.
   */
  readEntries(start: number, count: number): Promise<Buffer[]>;
  /**
   * The indexes of those leaf hashes that are already durable in the log, keyed by
   * `hash.toString('latin1')`. One call per batch, so a networked store can answer it with one
   * query.
   */
  findLeaves(leafHashes: readonly Buffer[]): Promise<Map<string, number>>;
  /**
   * Writes one batch and its checkpoint in one transaction; durable when it resolves. The
   * sequencer pipelines: it calls again, with the batch built on this one, before this one
   * resolves, so calls are applied and resolved in the order they were made (a batch whose
   * `fromSize` is not the stored size is refused, STORE_CONFLICT, and changes nothing).
   */
  integrate(batch: IntegrationBatch): Promise<void>;
  /**
   * When each of `indexes` was logged: the sign time of the first checkpoint that covered it
   * (UTC ms). An index is missing from the answer when it is not in the log yet, or was logged
   * before the store kept sign times (those entries are marked as such, never given a later
   * checkpoint's time).
   */
  loggedTimes(indexes: readonly number[]): Promise<Map<number, number>>;
  /** Attaches cosignatures to the checkpoint of that size, if it is still the latest. */
  saveCosignedCheckpoint(size: number, cosignedNote: string): Promise<void>;
  /**
   * The log size the statement index has been built up to: every entry below it has been
   * looked at (and indexed if it is a statement).
   */
  statementIndexSize(): Promise<number>;
  /**
   * Records the statements among entries [fromSize, toSize) and moves the index size to
   * `toSize`, in one transaction; refused (STORE_CONFLICT) unless the index is at `fromSize`.
   */
  indexStatements(
    fromSize: number,
    toSize: number,
    rows: readonly StatementIndexRow[],
  ): Promise<void>;
  /** Indexed statements matching `query`, by ascending log index. */
  findStatements(query: StatementQuery): Promise<StatementIndexRow[]>;
  /** The indexed statement at `index`, if that entry is one. */
  statementAt(index: number): Promise<StatementIndexRow | undefined>;
  close(): Promise<void>;
}
