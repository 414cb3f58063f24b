/**
 * Finding history and triage in PostgreSQL, so that `--since` and the dashboard's timeline see
 * the same history from every replica and every `nospy check` run against the store. A run is
 * one transaction under an advisory lock: two runs recorded at once (two replicas, or a replica
 * and a CLI check) are applied one after the other, each on the history the other left, as the
 * embedded adapter's single writer does.
 */
import type { Finding } from '../../check/finding.js';
import {
  resolvedBy,
  seenInRun,
  type FindingHistory,
  type TriageDecision,
} from '../../check/finding-history.js';
import type { FindingStorePort } from '../finding-store-port.js';
import type { PostgresClient, PostgresPool, PostgresPoolOptions } from './pool.js';
import { inTransaction, openMigratedPool, postgresCall } from './store-call.js';
import { historyOf, triageByFinding, type HistoryRow, type TriageRow } from '../finding-rows.js';

/** The key of the advisory lock a run is recorded under ('nospy' + 'f' as a 64-bit number). */
const RECORD_RUN_LOCK = 0x6e6f73707966;

const HISTORY_COLUMNS = 'id, first_seen, last_seen, first_run, last_run, resolved_at';

export class PostgresFindingStore implements FindingStorePort {
  readonly #pool: PostgresPool;
  #closed = false;

  private constructor(pool: PostgresPool) {
    this.#pool = pool;
  }

  /** Connects to `url` and applies the schema migrations. */
  static async open(url: string, options: PostgresPoolOptions = {}): Promise<PostgresFindingStore> {
    return new PostgresFindingStore(await openMigratedPool(url, { max: options.max ?? 2 }));
  }

  recordRun(runAt: string, findings: readonly Finding[]): Promise<Map<string, FindingHistory>> {
    return this.#run('record the check run', () =>
      inTransaction(this.#pool, (client) => recordRun(client, runAt, findings)),
    );
  }

  histories(): Promise<Map<string, FindingHistory>> {
    return this.#run('read the finding history', async () => {
      const { rows } = await this.#pool.query<HistoryRow>(
        `SELECT ${HISTORY_COLUMNS} FROM finding_history`,
      );
      return new Map(rows.map((row) => [row.id, historyOf(row)]));
    });
  }

  lastVersion(id: string): Promise<Finding | undefined> {
    return this.#run('read the finding history', async () => {
      const { rows } = await this.#pool.query<{ finding: string }>(
        'SELECT finding FROM finding_history WHERE id = $1',
        [id],
      );
      const row = rows[0];
      // Written by recordRun from a Finding; the database is the operator's own.
      return row === undefined ? undefined : (JSON.parse(row.finding) as Finding);
    });
  }

  addTriage(decision: TriageDecision): Promise<void> {
    return this.#run('record the triage decision', async () => {
      await this.#pool.query(
        `INSERT INTO finding_triage (finding, state, decided_by, at, reason, until)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          decision.finding,
          decision.state,
          decision.by,
          decision.at,
          decision.reason,
          decision.until ?? null,
        ],
      );
    });
  }

  triage(): Promise<Map<string, TriageDecision[]>> {
    return this.#run('read the triage decisions', async () => {
      const { rows } = await this.#pool.query<TriageRow>(
        'SELECT finding, state, decided_by AS "by", at, reason, until FROM finding_triage ORDER BY seq',
      );
      return triageByFinding(rows);
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

/** One run, inside its transaction: what `SqliteFindingStore` does, in three statements. */
async function recordRun(
  client: PostgresClient,
  runAt: string,
  findings: readonly Finding[],
): Promise<Map<string, FindingHistory>> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [RECORD_RUN_LOCK]);
  const { rows } = await client.query<HistoryRow>(`SELECT ${HISTORY_COLUMNS} FROM finding_history`);
  const before = new Map(rows.map((row) => [row.id, historyOf(row)]));
  const seen = new Map<string, FindingHistory>();
  const texts: string[] = [];
  for (const finding of findings) {
    if (seen.has(finding.id)) continue;
    seen.set(finding.id, seenInRun(before.get(finding.id), finding, runAt));
    texts.push(JSON.stringify(finding));
  }
  const next = [...seen.values()];
  if (next.length > 0) {
    await client.query(
      `INSERT INTO finding_history (id, first_seen, last_seen, first_run, last_run, resolved_at, finding)
       SELECT u.id, u.first_seen, u.last_seen, u.first_run, u.last_run, NULL, u.finding
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         AS u(id, first_seen, last_seen, first_run, last_run, finding)
       ON CONFLICT (id) DO UPDATE SET first_seen = excluded.first_seen,
         last_seen = excluded.last_seen, first_run = excluded.first_run,
         last_run = excluded.last_run, resolved_at = NULL, finding = excluded.finding`,
      [
        next.map((h) => h.id),
        next.map((h) => h.firstSeen),
        next.map((h) => h.lastSeen),
        next.map((h) => h.firstRun),
        next.map((h) => h.lastRun),
        texts,
      ],
    );
  }
  const resolved = [...before.values()]
    .filter((history) => !seen.has(history.id) && resolvedBy(history, runAt))
    .map((history) => history.id);
  if (resolved.length > 0) {
    await client.query('UPDATE finding_history SET resolved_at = $1 WHERE id = ANY($2::text[])', [
      runAt,
      resolved,
    ]);
  }
  return seen;
}
