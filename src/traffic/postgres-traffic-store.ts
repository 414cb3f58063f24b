/**
 * The traffic aggregates in PostgreSQL, shared by traffic workers on any number of machines. A
 * message is one statement (one round trip, its own transaction), committed before the worker
 * acknowledges it: its sequence row first (a redelivered message finds it and changes nothing),
 * then the totals row, which every message updates and so takes in turn — every other write of
 * the statement reads the totals update's result, so it runs after that row is locked, and two
 * workers' upserts never wait on each other in opposite orders. Each kind of row is written from
 * arrays, whatever the message holds.
 */
import type { BehaviourPartial } from '../mud/index.js';
import type { PostgresPool } from '../store/postgres/pool.js';
import { inTransaction, openMigratedPool, postgresCall } from '../store/postgres/store-call.js';
import type { TrafficReport, TrafficStorePort } from './traffic-store-port.js';
import {
  reportOfRows,
  rowsOfPartial,
  type FindingRow,
  type PortRow,
  type StoredSample,
  type TotalsRow,
} from './traffic-rows.js';

const FINDING_KEY = ['device', 'kind', 'remote', 'proto', 'side', 'port'] as const;
const PORT_KEY = ['device', 'remote', 'proto', 'side', 'port'] as const;

const SUMS = `first = least(t.first, excluded.first), last = greatest(t.last, excluded.last),
  records = t.records + excluded.records, packets = t.packets + excluded.packets,
  bytes = t.bytes + excluded.bytes, directions = t.directions | excluded.directions`;

/**
 * One message. `msg` is empty for a redelivery, and then so is `totals`, on which every later
 * write depends. Samples: the first few per owner; an owner that holds `$36` takes no more.
 * Workers counting one owner at once may each add theirs (the count is the statement's
 * snapshot), so an owner can hold a few more than `$36`: the report reads the first `$36`.
 */
const APPLY = `WITH msg AS (
    INSERT INTO traffic_messages (stream, seq, records) VALUES ($1, $2, $3)
    ON CONFLICT (stream, seq) DO NOTHING RETURNING 1
  ), totals AS (
    UPDATE traffic_totals SET records = records + $3, legs = legs + $4,
      allowed_legs = allowed_legs + $5, granted_legs = granted_legs + $6,
      unattributed = unattributed + $7, overflow = overflow + $8
    WHERE id = 1 AND EXISTS (SELECT 1 FROM msg) RETURNING 1
  ), findings AS (
    INSERT INTO traffic_findings AS t
    SELECT u.* FROM unnest($9::text[], $10::text[], $11::text[], $12::integer[], $13::text[],
      $14::integer[], $15::integer[], $16::float8[], $17::float8[], $18::bigint[], $19::float8[],
      $20::float8[], $21::integer[]) AS u
    WHERE EXISTS (SELECT 1 FROM totals)
    ON CONFLICT (device, kind, remote, proto, side, port) DO UPDATE SET
      inferred_rank = least(t.inferred_rank, excluded.inferred_rank), ${SUMS}
    RETURNING 1
  ), ports AS (
    INSERT INTO traffic_conversation_ports AS t
    SELECT u.* FROM unnest($22::text[], $23::text[], $24::integer[], $25::text[], $26::integer[],
      $27::float8[], $28::float8[], $29::bigint[], $30::float8[], $31::float8[], $32::integer[]) AS u
    WHERE EXISTS (SELECT 1 FROM totals)
    ON CONFLICT (device, remote, proto, side, port) DO UPDATE SET ${SUMS}
    RETURNING 1
  ), samples AS (
    INSERT INTO traffic_samples (owner, stream, seq, record)
    SELECT u.owner, $1, $2, u.record
    FROM unnest($33::text[], $34::integer[], $35::text[]) AS u(owner, k, record)
    CROSS JOIN LATERAL (SELECT count(*)::integer AS n FROM traffic_samples s WHERE s.owner = u.owner) held
    WHERE EXISTS (SELECT 1 FROM totals) AND held.n + u.k - 1 < $36
    ORDER BY u.owner, u.k
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM totals)::integer AS applied,
    (SELECT count(*) FROM findings)::integer AS findings,
    (SELECT count(*) FROM ports)::integer AS ports,
    (SELECT count(*) FROM samples)::integer AS samples`;

/** The first `$1` samples of every owner, in the order they were added. */
const READ_SAMPLES = `SELECT owner, stream, seq, record FROM (
    SELECT owner, stream, seq, record, id, row_number() OVER (PARTITION BY owner ORDER BY id) AS r
    FROM traffic_samples
  ) s WHERE r <= $1 ORDER BY owner, id`;

const column = <R, K extends keyof R>(rows: readonly R[], key: K): R[K][] =>
  rows.map((row) => row[key]);

/**
 * Rows with the same key added together first: one INSERT … ON CONFLICT may not touch a row
 * twice. A partial holds each key once; this keeps a partial that does not from failing.
 */
function merged<R extends FindingRow | PortRow>(
  rows: readonly R[],
  key: readonly (keyof R)[],
  merge: (into: R, row: R) => void,
): R[] {
  const byKey = new Map<string, R>();
  for (const row of rows) {
    const k = JSON.stringify(key.map((name) => row[name]));
    const into = byKey.get(k);
    if (into === undefined) byKey.set(k, { ...row });
    else merge(into, row);
  }
  return [...byKey.values()];
}

function addSums(into: FindingRow | PortRow, row: FindingRow | PortRow): void {
  into.first = Math.min(into.first, row.first);
  into.last = Math.max(into.last, row.last);
  into.records += row.records;
  into.packets += row.packets;
  into.bytes += row.bytes;
  into.directions |= row.directions;
}

export class PostgresTrafficStore implements TrafficStorePort {
  readonly #pool: PostgresPool;
  readonly #maxSamples: number;
  #closed = false;

  private constructor(pool: PostgresPool, maxSamples: number) {
    this.#pool = pool;
    this.#maxSamples = maxSamples;
  }

  /** Connects to `url` and applies the schema migrations. */
  static async open(url: string, maxSamples = 5): Promise<PostgresTrafficStore> {
    return new PostgresTrafficStore(await openMigratedPool(url, { max: 2 }), maxSamples);
  }

  apply(stream: string, sequence: number, p: BehaviourPartial): Promise<boolean> {
    return this.#run('apply a traffic message', async () => {
      const rows = rowsOfPartial(p, this.#maxSamples);
      const findings = merged(rows.findings, FINDING_KEY, (into, row) => {
        into.inferred_rank = Math.min(into.inferred_rank, row.inferred_rank);
        addSums(into, row);
      });
      const ports = merged(rows.ports, PORT_KEY, addSums);
      // Named, so each connection parses and plans it once.
      const { rows: result } = await this.#pool.query<{ applied: number }>({
        name: 'nospy-traffic-apply',
        text: APPLY,
        values: [
          stream,
          sequence,
          p.records,
          p.legs,
          p.allowedLegs,
          p.grantedLegs,
          p.unattributed,
          p.overflow,
          column(findings, 'device'),
          column(findings, 'kind'),
          column(findings, 'remote'),
          column(findings, 'proto'),
          column(findings, 'side'),
          column(findings, 'port'),
          column(findings, 'inferred_rank'),
          column(findings, 'first'),
          column(findings, 'last'),
          column(findings, 'records'),
          column(findings, 'packets'),
          column(findings, 'bytes'),
          column(findings, 'directions'),
          column(ports, 'device'),
          column(ports, 'remote'),
          column(ports, 'proto'),
          column(ports, 'side'),
          column(ports, 'port'),
          column(ports, 'first'),
          column(ports, 'last'),
          column(ports, 'records'),
          column(ports, 'packets'),
          column(ports, 'bytes'),
          column(ports, 'directions'),
          column(rows.samples, 'owner'),
          column(rows.samples, 'k'),
          column(rows.samples, 'record'),
          this.#maxSamples,
        ],
      });
      return result[0]?.applied === 1;
    });
  }

  report(): Promise<TrafficReport> {
    return this.#run('read the traffic aggregates', async () => {
      // One snapshot while workers keep applying.
      const stored = await inTransaction(this.#pool, async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const samples = await client.query<StoredSample>(READ_SAMPLES, [this.#maxSamples]);
        const findings = await client.query<FindingRow>('SELECT * FROM traffic_findings');
        const ports = await client.query<PortRow>('SELECT * FROM traffic_conversation_ports');
        const totals = await client.query<TotalsRow>(
          'SELECT records, legs, allowed_legs, granted_legs, unattributed, overflow FROM traffic_totals WHERE id = 1',
        );
        const messages = await client.query<{ messages: number }>(
          'SELECT count(*)::integer AS messages FROM traffic_messages',
        );
        const row = totals.rows[0];
        if (row === undefined) throw new Error('traffic_totals has no row (schema version 8)');
        return {
          samples: samples.rows,
          findings: findings.rows,
          ports: ports.rows,
          totals: row,
          messages: messages.rows[0]?.messages ?? 0,
        };
      });
      return reportOfRows(stored, this.#maxSamples);
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
