/**
 * The traffic aggregates in PostgreSQL, shared by traffic workers on any number of machines. A
 * message is one transaction, committed before the worker acknowledges it: its sequence row
 * first (a redelivered message finds it and changes nothing), then the totals row, which every
 * message updates and so takes in turn — the upserts that follow never wait on each other in a
 * different order, so two workers cannot deadlock. Each kind of row is one statement from arrays,
 * whatever the message holds.
 */
import type { BehaviourPartial, BehaviourReport } from '../mud/index.js';
import type { PostgresClient, PostgresPool } from '../store/postgres/pool.js';
import { inTransaction, openMigratedPool, postgresCall } from '../store/postgres/store-call.js';
import type { TrafficStorePort } from './traffic-store-port.js';
import {
  reportOfRows,
  rowsOfPartial,
  type FindingRow,
  type PortRow,
  type TotalsRow,
} from './traffic-rows.js';

const FINDING_KEY = ['device', 'kind', 'remote', 'proto', 'side', 'port'] as const;
const PORT_KEY = ['device', 'remote', 'proto', 'side', 'port'] as const;

const SUMS = `first = least(t.first, excluded.first), last = greatest(t.last, excluded.last),
  records = t.records + excluded.records, packets = t.packets + excluded.packets,
  bytes = t.bytes + excluded.bytes, directions = t.directions | excluded.directions`;

const ADD_FINDINGS = `INSERT INTO traffic_findings AS t
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[],
    $6::integer[], $7::integer[], $8::float8[], $9::float8[], $10::bigint[], $11::float8[],
    $12::float8[], $13::integer[])
  ON CONFLICT (device, kind, remote, proto, side, port) DO UPDATE SET
    inferred_rank = least(t.inferred_rank, excluded.inferred_rank), ${SUMS}`;

const ADD_PORTS = `INSERT INTO traffic_conversation_ports AS t
  SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::integer[],
    $6::float8[], $7::float8[], $8::bigint[], $9::float8[], $10::float8[], $11::integer[])
  ON CONFLICT (device, remote, proto, side, port) DO UPDATE SET ${SUMS}`;

/**
 * The first few samples per owner, numbered from what is stored: a full owner takes no more. Two
 * workers numbering the same owner at once both pick the next number; the second's is dropped
 * (the primary key), so an owner never holds more than `$5` samples.
 */
const ADD_SAMPLES = `INSERT INTO traffic_samples (owner, n, seq, record)
  SELECT u.owner, held.n + u.k - 1, $4, u.record
  FROM unnest($1::text[], $2::integer[], $3::text[]) AS u(owner, k, record)
  CROSS JOIN LATERAL (SELECT count(*)::integer AS n FROM traffic_samples s WHERE s.owner = u.owner) held
  WHERE held.n + u.k - 1 < $5
  ON CONFLICT (owner, n) DO NOTHING`;

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

  apply(stream: string, sequence: number, partial: BehaviourPartial): Promise<boolean> {
    return this.#run('apply a traffic message', () =>
      inTransaction(this.#pool, (client) => this.#apply(client, stream, sequence, partial)),
    );
  }

  async #apply(
    client: PostgresClient,
    stream: string,
    sequence: number,
    p: BehaviourPartial,
  ): Promise<boolean> {
    const seen = await client.query(
      `INSERT INTO traffic_messages (stream, seq, records) VALUES ($1, $2, $3)
       ON CONFLICT (stream, seq) DO NOTHING`,
      [stream, sequence, p.records],
    );
    if (seen.rowCount !== 1) return false;
    await client.query(
      `UPDATE traffic_totals SET records = records + $1, legs = legs + $2,
         allowed_legs = allowed_legs + $3, granted_legs = granted_legs + $4,
         unattributed = unattributed + $5, overflow = overflow + $6 WHERE id = 1`,
      [p.records, p.legs, p.allowedLegs, p.grantedLegs, p.unattributed, p.overflow],
    );
    const rows = rowsOfPartial(p, this.#maxSamples);
    const findings = merged(rows.findings, FINDING_KEY, (into, row) => {
      into.inferred_rank = Math.min(into.inferred_rank, row.inferred_rank);
      addSums(into, row);
    });
    if (findings.length > 0) {
      await client.query(ADD_FINDINGS, [
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
      ]);
    }
    const ports = merged(rows.ports, PORT_KEY, addSums);
    if (ports.length > 0) {
      await client.query(ADD_PORTS, [
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
      ]);
    }
    if (rows.samples.length > 0) {
      await client.query(ADD_SAMPLES, [
        column(rows.samples, 'owner'),
        column(rows.samples, 'k'),
        column(rows.samples, 'record'),
        sequence,
        this.#maxSamples,
      ]);
    }
    return true;
  }

  report(): Promise<BehaviourReport> {
    return this.#run('read the traffic aggregates', async () => {
      // One snapshot while workers keep applying.
      const stored = await inTransaction(this.#pool, async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const samples = await client.query<{ owner: string; record: string }>(
          'SELECT owner, record FROM traffic_samples ORDER BY owner, n',
        );
        const findings = await client.query<FindingRow>('SELECT * FROM traffic_findings');
        const ports = await client.query<PortRow>('SELECT * FROM traffic_conversation_ports');
        const totals = await client.query<TotalsRow>(
          'SELECT records, legs, allowed_legs, granted_legs, unattributed, overflow FROM traffic_totals WHERE id = 1',
        );
        const row = totals.rows[0];
        if (row === undefined) throw new Error('traffic_totals has no row (schema version 8)');
        return { samples: samples.rows, findings: findings.rows, ports: ports.rows, totals: row };
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
