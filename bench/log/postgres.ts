/**
 * bench/log's PostgreSQL rows: the same sequencer over the PostgreSQL log store, in a throw-away
 * database (`nospy_bench_<pid>_<random>`, dropped after) on the server of
 * NOSPY_BENCH_POSTGRES_URL (default postgres://root@127.0.0.1:5432/postgres), printed beside the
 * SQLite adapter's in-process rate measured in the same run, with the goal's ratios.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { NoteSigner } from '../../src/tlog/note-key.js';
import { openLog } from '../../src/log/open-log.js';
import { PostgresLogStore } from '../../src/store/postgres/postgres-log-store.js';

const ADMIN_URL =
  process.env['NOSPY_BENCH_POSTGRES_URL'] ?? 'postgres://root@127.0.0.1:5432/postgres';

/** The goal: at least this share of the SQLite adapter's in-process rate, and this many per second. */
const GOAL_SHARE_OF_SQLITE = 0.5;
const GOAL_ENTRIES_PER_SECOND = 20_000;

export interface PostgresBenchResult {
  readonly entries: number;
  readonly seconds: number;
}

export interface PostgresBenchOptions<R extends PostgresBenchResult> {
  readonly signer: NoteSigner;
  readonly logger: Logger;
  readonly writers: number;
  readonly phaseMs: number;
  /** The SQLite adapter's rate with writers × 64 in flight, measured before in this run. */
  readonly sqliteRate: number;
  readonly drive: (
    add: (entry: Buffer) => Promise<unknown>,
    writers: number,
    depth: number,
    ms: number,
  ) => Promise<R>;
  readonly report: (label: string, result: R) => void;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function benchPostgres<R extends PostgresBenchResult>(
  options: PostgresBenchOptions<R>,
): Promise<void> {
  const name = `nospy_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await admin(`CREATE DATABASE "${name}"`);
  } catch (error) {
    process.stdout.write(
      `PostgreSQL: not measured, the server at ${ADMIN_URL} cannot be used (${(error as Error).message})\n\n`,
    );
    return;
  }
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const log = await openLog({
      store: await PostgresLogStore.open(url.toString()),
      signer: options.signer,
      logger: options.logger,
    });
    let result: R;
    try {
      options.report(
        `PostgreSQL, sequencer, ${options.writers} writers × 1 in flight`,
        await options.drive((e) => log.sequencer.add(e), options.writers, 1, options.phaseMs),
      );
      result = await options.drive(
        (e) => log.sequencer.add(e),
        options.writers,
        64,
        options.phaseMs,
      );
      options.report(`PostgreSQL, sequencer, ${options.writers} writers × 64 in flight`, result);
    } finally {
      await log.close();
    }
    const rate = result.entries / result.seconds;
    const share = rate / options.sqliteRate;
    process.stdout.write(
      `goal: PostgreSQL ÷ SQLite (64 × 64, same run) = ${share.toFixed(2)} (goal ≥ ${GOAL_SHARE_OF_SQLITE}: ${share >= GOAL_SHARE_OF_SQLITE ? 'met' : 'not met'}); ` +
        `${Math.round(rate).toLocaleString('en-US')} entries/s ÷ ${GOAL_ENTRIES_PER_SECOND.toLocaleString('en-US')} = ${(rate / GOAL_ENTRIES_PER_SECOND).toFixed(2)} (${rate >= GOAL_ENTRIES_PER_SECOND ? 'met' : 'not met'})\n\n`,
    );
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}
