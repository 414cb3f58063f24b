/**
 * The statement index of a log: which entries are statements, of which type, by which vendor,
 * about which subjects. It is DERIVED from the log's entries (never written beside them by the
 * request that submitted them), and built in order up to a recorded size, so after a crash it
 * resumes where it stopped and can never list a statement that is not in the log, nor disagree
 * with the entry at that index.
 *
 * An entry is indexed when it parses as a DSSE envelope holding a nospy statement. Indexing does
 * not verify signatures: POST /v1/statements verified them before appending, an entry added by
 * the operator through POST /add was not, and every reader verifies what it relies on (an
 * evidence bundle carries everything needed).
 */
import { LogError } from '../log/errors.js';
import { StoreError } from '../store/errors.js';
import type { LogStorePort, StatementIndexRow, StatementQuery } from '../store/log-store-port.js';
import { TreeReader } from '../log/tree-reader.js';
import { inclusionProof } from '../tlog/tree.js';
import { formatTlogProof } from '../tlog/proof-bundle.js';
import { leafHash } from '../tlog/hash.js';
import { indexFieldsOf } from './accept.js';
import { parseEnvelope, type Envelope } from './dsse.js';
import { payloadDigest } from './payload-digest.js';
import { parseStatementPayload } from './statement.js';

/** Entries read per indexing step. */
const CHUNK = 256;

/** The index row of the entry at `index`, or undefined when the entry is not a statement. */
export function statementIndexRowOf(
  index: number,
  entry: Uint8Array,
): StatementIndexRow | undefined {
  let envelope: Envelope;
  try {
    envelope = parseEnvelope(entry);
  } catch {
    return undefined;
  }
  const parsed = parseStatementPayload(envelope.payload);
  if (!parsed.ok) return undefined;
  const fields = indexFieldsOf(parsed.statement, parsed.name);
  return {
    index,
    type: fields.type,
    vendor: fields.vendor,
    subjects: [...new Set(fields.subjects)],
    payload: payloadDigest(envelope),
  };
}

/**
 * Brings a store's statement index up to a log size. Calls are serialised; a concurrent indexer
 * on the same database (another process) is detected by the store's compare-and-swap and the
 * work it did is kept.
 */
export class StatementIndexer {
  readonly #store: LogStorePort;
  #tail: Promise<void> = Promise.resolve();

  constructor(store: LogStorePort) {
    this.#store = store;
  }

  /** Indexes every entry below `size` not indexed yet. */
  catchUp(size: number): Promise<void> {
    const run = this.#tail.then(() => this.#run(size));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #run(size: number): Promise<void> {
    let at = await this.#store.statementIndexSize();
    while (at < size) {
      const entries = await this.#store.readEntries(at, Math.min(CHUNK, size - at));
      if (entries.length === 0) return;
      const rows: StatementIndexRow[] = [];
      entries.forEach((entry, i) => {
        const row = statementIndexRowOf(at + i, entry);
        if (row !== undefined) rows.push(row);
      });
      try {
        await this.#store.indexStatements(at, at + entries.length, rows);
        at += entries.length;
      } catch (error) {
        if (!(error instanceof StoreError) || error.code !== 'STORE_CONFLICT') throw error;
        at = await this.#store.statementIndexSize();
      }
    }
  }
}

/** A statement in the log: its index fields, its entry bytes and the envelope they hold. */
export interface LoggedStatement extends StatementIndexRow {
  /** The log entry: the canonical envelope bytes. */
  readonly entry: Buffer;
  /** RFC 6962 leaf hash of the entry, hex. */
  readonly leafHash: string;
  readonly envelope: Envelope;
}

/** Filters for {@link listLoggedStatements}; `below` defaults to the latest checkpoint's size. */
export type LoggedStatementQuery = Partial<StatementQuery>;

/** Most statements one listing returns. */
export const MAX_LISTED_STATEMENTS = 1000;

/**
 * The statements in a log's store (e.g. a `SqliteLogStore` opened on a data directory), by
 * ascending index, up to the latest signed checkpoint: the index is brought up to date first.
 */
export async function listLoggedStatements(
  store: LogStorePort,
  query: LoggedStatementQuery = {},
  indexer: StatementIndexer = new StatementIndexer(store),
): Promise<LoggedStatement[]> {
  const size = (await store.latestCheckpoint())?.size ?? 0;
  await indexer.catchUp(size);
  const rows = await store.findStatements({
    ...query,
    below: Math.min(query.below ?? size, size),
    limit: Math.min(query.limit ?? MAX_LISTED_STATEMENTS, MAX_LISTED_STATEMENTS),
  });
  return withEntries(store, rows);
}

/** The rows joined with their entries (read in one range per row; rows are few per page). */
export async function withEntries(
  store: LogStorePort,
  rows: readonly StatementIndexRow[],
): Promise<LoggedStatement[]> {
  const out: LoggedStatement[] = [];
  for (const row of rows) {
    const [entry] = await store.readEntries(row.index, 1);
    if (entry === undefined) {
      throw new StoreError(
        'STORE_CORRUPT',
        `the statement index names entry ${row.index}, which the log does not hold`,
      );
    }
    out.push({
      ...row,
      entry,
      leafHash: leafHash(entry).toString('hex'),
      envelope: parseEnvelope(entry),
    });
  }
  return out;
}

/**
 * The c2sp.org/tlog-proof of entry `index` against a checkpoint (by default the store's latest,
 * with its cosignatures when it has them). Throws when the index is beyond that checkpoint.
 */
export async function loggedStatementProof(
  store: LogStorePort,
  index: number,
  checkpoint?: {
    readonly size: number;
    readonly note: string;
    readonly cosignedNote: string | undefined;
  },
  tree: TreeReader = new TreeReader((level, i) => store.readTile(level, i)),
): Promise<string> {
  const at = checkpoint ?? (await store.latestCheckpoint());
  if (at === undefined || index >= at.size) {
    throw new LogError(
      'LOG_NOT_FOUND',
      `entry ${index} is not in the checkpoint of size ${at?.size ?? 0}`,
    );
  }
  const proof = await tree.compute(at.size, (read) => inclusionProof(index, at.size, read));
  return formatTlogProof({ index, proof, checkpoint: at.cosignedNote ?? at.note });
}
