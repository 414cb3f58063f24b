/**
 * A witness's memory of each log in PostgreSQL. `advance` is one statement that writes only if
 * the stored size is still the expected one (compare-and-swap), committed before the witness
 * answers (c2sp.org/tlog-witness: "persisted atomically before replying").
 */
import type { WitnessLogState, WitnessStorePort } from '../witness-store-port.js';
import type { PostgresPool } from './pool.js';
import { openMigratedPool, postgresCall } from './store-call.js';

interface WitnessRow {
  origin: string;
  size: number;
  root_hash: Buffer;
  note: string;
}

const toState = (row: WitnessRow): WitnessLogState => ({
  origin: row.origin,
  size: row.size,
  rootHash: row.root_hash,
  note: row.note,
});

export class PostgresWitnessStore implements WitnessStorePort {
  readonly #pool: PostgresPool;
  #closed = false;

  private constructor(pool: PostgresPool) {
    this.#pool = pool;
  }

  /** Connects to `url` and applies the schema migrations. */
  static async open(url: string): Promise<PostgresWitnessStore> {
    return new PostgresWitnessStore(await openMigratedPool(url, { max: 2 }));
  }

  latest(origin: string): Promise<WitnessLogState | undefined> {
    return this.#run('read the witness state', async () => {
      const { rows } = await this.#pool.query<WitnessRow>(
        'SELECT origin, size, root_hash, note FROM witness_logs WHERE origin = $1',
        [origin],
      );
      return rows[0] === undefined ? undefined : toState(rows[0]);
    });
  }

  all(): Promise<WitnessLogState[]> {
    return this.#run('read the witness state', async () => {
      const { rows } = await this.#pool.query<WitnessRow>(
        'SELECT origin, size, root_hash, note FROM witness_logs ORDER BY origin',
      );
      return rows.map(toState);
    });
  }

  advance(next: WitnessLogState, expectedSize: number | undefined): Promise<boolean> {
    return this.#run('persist the witness state', async () => {
      const values = [next.origin, next.size, next.rootHash, next.note];
      // The first state of a log: inserted only if no other request inserted one meanwhile.
      const result =
        expectedSize === undefined
          ? await this.#pool.query(
              `INSERT INTO witness_logs (origin, size, root_hash, note) VALUES ($1, $2, $3, $4)
               ON CONFLICT (origin) DO NOTHING`,
              values,
            )
          : await this.#pool.query(
              `UPDATE witness_logs SET size = $2, root_hash = $3, note = $4
               WHERE origin = $1 AND size = $5`,
              [...values, expectedSize],
            );
      return result.rowCount === 1;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  #run<T>(what: string, work: () => Promise<T>): Promise<T> {
    return postgresCall(this.#closed, what, work);
  }
}
