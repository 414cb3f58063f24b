/**
 * bench/log's replica rows: real `nospy serve --store postgres://…` processes on one throw-away
 * database, driven over HTTP. Writes: 64 writers × 64 in flight (POST /add) sent to the one
 * replica that sequences, then spread over three replicas (two of which queue their entries for
 * it). Reads: full tiles (level-0 hash tiles and entry bundles) fetched by 64 concurrent readers
 * through one replica, then through three. The machine's cores are shared by the replicas,
 * PostgreSQL and this driver, so the three-replica figures say what the design costs here, not
 * what three machines would give.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from 'pino';
import type { NoteSigner } from '../../src/tlog/note-key.js';
import { openLog } from '../../src/log/open-log.js';
import { ReplicatedLog } from '../../src/log/replica/replicated-log.js';
import { PostgresLogStore } from '../../src/store/postgres/postgres-log-store.js';
import { openPostgresPool } from '../../src/store/postgres/pool.js';
import { PostgresReplicaSignals } from '../../src/store/postgres/replica-signals.js';
import { PostgresSequencerLock } from '../../src/store/postgres/sequencer-lock.js';
import { PostgresSubmissionQueue } from '../../src/store/postgres/submission-queue.js';
import { entriesPath, tilePath, TILE_WIDTH } from '../../src/tlog/tiles.js';
import { load } from '../http/load.js';

const ADMIN_URL =
  process.env['NOSPY_BENCH_POSTGRES_URL'] ?? 'postgres://root@127.0.0.1:5432/postgres';
const BIN = fileURLToPath(new URL('../../bin/nospy.js', import.meta.url));
const TOKEN = 'bench-token';
const REPLICAS = 3;
const READERS = 64;
const READ_MS = 3_000;
/** The goal: three replicas serve at least this many times the tile reads of one. */
const GOAL_READ_SCALE = 2;

export interface ReplicaBenchResult {
  readonly entries: number;
  readonly seconds: number;
}

export interface ReplicaBenchOptions<R extends ReplicaBenchResult> {
  readonly signer: NoteSigner;
  readonly logger: Logger;
  readonly writers: number;
  readonly phaseMs: number;
  readonly drive: (
    add: (entry: Buffer) => Promise<unknown>,
    writers: number,
    depth: number,
    ms: number,
  ) => Promise<R>;
  readonly report: (label: string, result: R) => void;
}

interface Replica {
  readonly child: ChildProcess;
  readonly url: string;
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

function startReplica(dir: string, storeUrl: string, keyFile: string): Promise<Replica> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--store', storeUrl, '--log-key', keyFile, '--port', '0', '--log-level', 'warn'],
    {
      cwd: dir,
      env: { ...process.env, NOSPY_SUBMIT_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^(http:\/\/\S+)\n/m.exec(out)?.[1];
      if (url !== undefined) resolve({ child, url });
    });
    child.on('exit', (code) => {
      reject(new Error(`replica exited with ${String(code)}: ${err}`));
    });
  });
}

async function readyz(url: string): Promise<{ status: string; sequencing?: boolean }> {
  const response = await fetch(`${url}/readyz`);
  return (await response.json()) as { status: string; sequencing?: boolean };
}

/** POST /add over keep-alive connections, spread over `urls` in turn. */
function httpAdder(urls: readonly string[], sockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  let next = 0;
  const add = (entry: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const target = new URL('/add', urls[next++ % urls.length]);
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-length': entry.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) resolve();
            else reject(new Error(`POST /add answered ${String(res.statusCode)}`));
          });
        },
      );
      req.on('error', reject);
      req.end(entry);
    });
  return {
    add,
    close: () => {
      agent.destroy();
    },
  };
}

/** Reader processes, each with READERS / READER_PROCESSES connections. */
const READER_PROCESSES = 3;

/**
 * Full tiles/s read by READER_PROCESSES autocannon processes (the readers' work is not this
 * process's, nor one process's: one client process saturates before a replica does). Through one
 * replica every process reads from `urls[0]`; through three, each from its own replica, so both
 * rows pay the same clients. Each process reads one full level-0 tile of the middle of the log
 * and the other half its entry bundle, alternating by process.
 */
async function readTiles(urls: readonly string[], fullTiles: number): Promise<number> {
  const index = Math.floor(fullTiles / 2);
  const loads = await Promise.all(
    Array.from({ length: READER_PROCESSES }, (_, i) => {
      const base = urls[i % urls.length] as string;
      const path = i % 2 === 0 ? tilePath(0, index, TILE_WIDTH) : entriesPath(index, TILE_WIDTH);
      return load(`${base}/${path}`, {
        connections: Math.ceil(READERS / READER_PROCESSES),
        seconds: READ_MS / 1000,
      });
    }),
  );
  const bad = loads.reduce((sum, l) => sum + l.bad, 0);
  if (bad > 0) throw new Error(`tile reads: ${bad} answers were not 200`);
  return loads.reduce((sum, l) => sum + l.rps, 0);
}

/**
 * Three replicas in this process (each with its own connections, lock session and listener, as
 * three processes would have), the writers spread over them: what the queue and the hand-over
 * cost beside the one-replica row, without three HTTP stacks on two shared cores.
 */
async function inProcess<R extends ReplicaBenchResult>(
  storeUrl: string,
  options: ReplicaBenchOptions<R>,
): Promise<R> {
  const opened: { log: ReplicatedLog; close: () => Promise<void> }[] = [];
  try {
    for (let i = 0; i < REPLICAS; i += 1) {
      const store = await PostgresLogStore.open(storeUrl);
      const pool = await openPostgresPool(storeUrl, { max: 3 });
      const log = await ReplicatedLog.open({
        store,
        lock: new PostgresSequencerLock(storeUrl),
        queue: new PostgresSubmissionQueue(pool),
        signals: new PostgresReplicaSignals(storeUrl),
        verifier: options.signer,
        openSequencer: () =>
          openLog({ store, signer: options.signer, logger: options.logger, keepStoreOpen: true }),
        logger: options.logger,
      });
      opened.push({
        log,
        close: async () => {
          await log.close();
          await pool.end();
          await store.close();
        },
      });
    }
    let next = 0;
    return await options.drive(
      (entry) => (opened[next++ % opened.length] as (typeof opened)[number]).log.add(entry),
      options.writers,
      64,
      options.phaseMs,
    );
  } finally {
    for (const replica of opened) await replica.close();
  }
}

export async function benchReplicas<R extends ReplicaBenchResult>(
  options: ReplicaBenchOptions<R>,
): Promise<void> {
  const name = `nospy_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await admin(`CREATE DATABASE "${name}"`);
  } catch (error) {
    process.stdout.write(
      `PostgreSQL replicas: not measured, the server at ${ADMIN_URL} cannot be used (${(error as Error).message})\n\n`,
    );
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-replicas-'));
  const replicas: Replica[] = [];
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const keyFile = join(dir, 'log.key');
    writeFileSync(keyFile, `${options.signer.skey}\n`, { mode: 0o600 });
    // 64 × 64 writes in flight from one address: the per-client bound is lifted for the bench.
    writeFileSync(
      join(dir, 'nospy.yaml'),
      'server:\n  writesPerClient: 8192\n  maxConnections: 8192\n',
    );
    options.report(
      `PostgreSQL, 3 replicas in-process, ${options.writers} writers × 64 in flight`,
      await inProcess(url.toString(), options),
    );
    // BENCH_LOG_REPLICAS=in-process: the row above only (no `nospy serve` processes).
    if (process.env['BENCH_LOG_REPLICAS'] === 'in-process') return;
    for (let i = 0; i < REPLICAS; i += 1) {
      replicas.push(await startReplica(dir, url.toString(), keyFile));
    }
    const states = await waitReady(replicas);
    const sequencer = replicas[states.findIndex((s) => s.sequencing === true)] ?? replicas[0];
    const urls = replicas.map((r) => r.url);
    // More connections than cores make Node spend its time opening them: requests queue instead.
    const sockets = 128;

    const one = httpAdder([sequencer?.url ?? ''], sockets);
    const single = await options.drive(one.add, options.writers, 64, options.phaseMs);
    one.close();
    options.report(
      `PostgreSQL, 1 replica, HTTP, ${options.writers} writers × 64 in flight`,
      single,
    );
    const three = httpAdder(urls, sockets);
    const spread = await options.drive(three.add, options.writers, 64, options.phaseMs);
    three.close();
    options.report(
      `PostgreSQL, 3 replicas, HTTP, ${options.writers} writers × 64 in flight`,
      spread,
    );
    const rate = (result: R) => result.entries / result.seconds;
    process.stdout.write(
      `three replicas ÷ one (writes, same run) = ${(rate(spread) / rate(single)).toFixed(2)}\n`,
    );

    const size = Math.max(...(await Promise.all(urls.map(checkpointSize))));
    const fullTiles = Math.floor(size / TILE_WIDTH);
    if (fullTiles === 0) {
      process.stdout.write('tile reads: not measured, the log holds no full tile\n\n');
      return;
    }
    const throughOne = await readTiles([sequencer?.url ?? ''], fullTiles);
    const throughThree = await readTiles(urls, fullTiles);
    const scale = throughThree / throughOne;
    process.stdout.write(
      `${`full tiles through 1 replica (${READER_PROCESSES} reader processes × ${Math.ceil(READERS / READER_PROCESSES)})`.padEnd(58)} ${Math.round(throughOne).toLocaleString('en-US').padStart(9)} tiles/s\n` +
        `${`full tiles through 3 replicas (the same readers)`.padEnd(58)} ${Math.round(throughThree).toLocaleString('en-US').padStart(9)} tiles/s\n` +
        `goal: three replicas ÷ one (tile reads) = ${scale.toFixed(2)} (goal ≥ ${GOAL_READ_SCALE}: ${scale >= GOAL_READ_SCALE ? 'met' : 'not met'}; one machine's cores shared by every replica, PostgreSQL and this driver)\n\n`,
    );
  } finally {
    for (const replica of replicas) replica.child.kill('SIGTERM');
    await Promise.all(
      replicas.map(
        (r) =>
          new Promise((resolve) => {
            if (r.child.exitCode !== null) resolve(undefined);
            else r.child.once('exit', resolve);
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

async function waitReady(replicas: readonly Replica[]) {
  for (;;) {
    const states = await Promise.all(replicas.map((r) => readyz(r.url)));
    if (states.every((s) => s.status === 'ready')) return states;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function checkpointSize(url: string): Promise<number> {
  const note = await (await fetch(`${url}/checkpoint`)).text();
  return Number(note.split('\n')[1]);
}
