/**
 * bench/log: the transparency log's write and audit paths. The audit is printed beside its
 * ceiling measured in the same run: RFC 6962 node hashes (65-byte inputs) made exactly the way
 * src/tlog/hash.ts makes them, since a full audit makes about one per leaf; and beside OpenSSL's
 * SHA-256 rate on 64-byte inputs (`openssl speed`, when openssl is installed), the machine's
 * physical reference (64 and 65 bytes are both two SHA-256 blocks once padded).
 *
 *   1. entries/s sequenced durably by 64 concurrent writers of 300-byte entries, each awaiting its
 *      acknowledgement before adding the next (in-process sequencer, then HTTP POST /add), with
 *      add→ack latency p50/p99;
 *   2. the same sequencer fed by 64 writers keeping 64 adds each in flight (its capacity when
 *      fsync latency is not the bound); then both on the PostgreSQL log store (postgres.ts),
 *      with the goal's ratios to the SQLite rate of the same run; then three `nospy serve`
 *      replicas on one PostgreSQL database (replicas.ts): 64 × 64 over HTTP to the sequencing
 *      one and spread over three, and full tiles/s read through one and through three;
 *   3. inclusion proofs/s from the stored tiles;
 *   4. leaves/s of a full verification of that log by the one verifier (src/log/verify) from its
 *      data directory: checkpoint, every tile, every entry re-hashed;
 *   5. a server's start-up audit of a store of 1M and 10M entries (`store-audit.ts`; sizes from
 *      BENCH_LOG_AUDIT_SIZES, e.g. `1000000,10000000`), and a restart from its watermark.
 *
 * The machine is shared, so each write phase also prints the CPU time it used: the whole
 * process's (all threads: event loop, SQLite writer, GC helpers) and, on Linux, the event loop
 * thread's alone, with the entries per CPU-second of each. The load average is printed first.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { leafHash, nodeHash } from '../../src/tlog/hash.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { inclusionProof } from '../../src/tlog/tree.js';
import { openLog, type OpenLog } from '../../src/log/open-log.js';
import { SqliteLogSource } from '../../src/log/verify/sqlite-log-source.js';
import { verifyLog } from '../../src/log/verify/verify-log.js';
import { auditCeiling, benchStoreAudit, cpuSeconds } from './store-audit.js';
import { TreeReader } from '../../src/log/tree-reader.js';
import { createServer } from '../../src/server/server.js';
import { benchPostgres } from './postgres.js';
import { benchReplicas } from './replicas.js';

const WRITERS = 64;
const ENTRY_BYTES = 300;
const PHASE_MS = 5_000;
const TOKEN = 'bench-token';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-log-'));
  dirs.push(dir);
  return dir;
}

let serial = 0;
/** The i-th entry of an audit bench log: 300 bytes, distinct. */
function auditEntry(i: number): Buffer {
  const entry = Buffer.alloc(ENTRY_BYTES, 0x62);
  entry.write(String(i).padStart(12, '0'), 0, 'latin1');
  return entry;
}

/** A distinct 300-byte entry (distinct, or de-duplication would skip it). */
function nextEntry(): Buffer {
  const entry = Buffer.alloc(ENTRY_BYTES, 0x61);
  entry.writeUInt32BE(process.pid, 0);
  entry.write(String((serial += 1)).padStart(12, '0'), 4, 'latin1');
  return entry;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Calls per second of `once`, over about a second of wall-clock time. */
function callRate(once: () => unknown): number {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < 1000) {
    for (let i = 0; i < 10_000; i += 1) once();
    count += 10_000;
    elapsed = performance.now() - start;
  }
  return (count / elapsed) * 1000;
}

/**
 * OpenSSL's SHA-256 rate on 64-byte inputs in hashes per second of wall-clock time, from
 * `openssl speed -mr -elapsed -bytes 64 sha256` (its `+F:<n>:sha256:<bytes/s>` line); undefined
 * when openssl is not installed or says something else.
 */
function opensslSha256Rate(): number | undefined {
  const run = spawnSync(
    'openssl',
    ['speed', '-mr', '-elapsed', '-seconds', '1', '-bytes', '64', 'sha256'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (run.error !== undefined || run.status !== 0) return undefined;
  const line = /^\+F:\d+:sha256:([0-9.]+)\s*$/m.exec(run.stdout);
  const bytesPerSecond = line === null ? Number.NaN : Number(line[1]);
  return Number.isFinite(bytesPerSecond) && bytesPerSecond > 0 ? bytesPerSecond / 64 : undefined;
}

/** CPU seconds used so far by the whole process (every thread). */
function processCpu(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const THREAD_STAT = '/proc/thread-self/stat';
/** CPU seconds used so far by this thread (the event loop), where Linux tells; else NaN. */
function eventLoopCpu(): number {
  if (!existsSync(THREAD_STAT)) return Number.NaN;
  const stat = readFileSync(THREAD_STAT, 'utf8');
  // proc(5): utime and stime are fields 14 and 15, counted after the parenthesised name.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface CpuUse {
  readonly process: number;
  readonly eventLoop: number;
}

function cpuSince(start: CpuUse): CpuUse {
  return { process: processCpu() - start.process, eventLoop: eventLoopCpu() - start.eventLoop };
}

function cpuNow(): CpuUse {
  return { process: processCpu(), eventLoop: eventLoopCpu() };
}

interface WriteResult {
  readonly entries: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpu: CpuUse;
}

/** `writers` loops, each keeping `depth` adds in flight, for `ms`; records add→ack latency. */
async function drive(
  add: (entry: Buffer) => Promise<unknown>,
  writers: number,
  depth: number,
  ms: number,
): Promise<WriteResult> {
  const latencies: number[] = [];
  const deadline = performance.now() + ms;
  const cpu = cpuNow();
  const start = performance.now();
  const lane = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await add(nextEntry());
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: writers * depth }, lane));
  const seconds = (performance.now() - start) / 1000;
  const used = cpuSince(cpu);
  const sorted = Float64Array.from(latencies).sort();
  return {
    entries: latencies.length,
    seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpu: used,
  };
}

function httpAdder(url: string): { add: (entry: Buffer) => Promise<void>; close: () => void } {
  const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });
  const target = new URL('/add', url);
  const add = (entry: Buffer) =>
    new Promise<void>((resolve, reject) => {
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
            else reject(new Error(`POST /add answered ${res.statusCode}`));
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

function cpuText(entries: number, cpu: CpuUse): string {
  const loop = Number.isNaN(cpu.eventLoop)
    ? ''
    : `, event loop ${cpu.eventLoop.toFixed(2)} s = ${fmt(entries / cpu.eventLoop)}/CPU-s`;
  return `   [CPU: process ${cpu.process.toFixed(2)} s = ${fmt(entries / cpu.process)} entries/CPU-s${loop}]`;
}

function report(label: string, result: WriteResult): void {
  process.stdout.write(
    `${label.padEnd(58)} ${fmt(result.entries / result.seconds).padStart(9)} entries/s` +
      `   ack p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms` +
      `   (${fmt(result.entries)} in ${result.seconds.toFixed(1)} s)` +
      `${cpuText(result.entries, result.cpu)}\n`,
  );
}

async function main(): Promise<void> {
  const key = generateNoteKey('bench.example/log');
  const silent = pino({ level: 'silent' });
  const [load1, load5] = loadavg();
  process.stdout.write(
    `load average ${load1?.toFixed(2)} (1 min), ${load5?.toFixed(2)} (5 min) on this machine's shared cores\n`,
  );
  const openssl = opensslSha256Rate();
  const left = randomBytes(32);
  const right = randomBytes(32);
  const ceiling = callRate(() => nodeHash(left, right));
  const sample = nextEntry();
  const leafCeiling = callRate(() => leafHash(sample));
  process.stdout.write(
    [
      `reference: SHA-256 of 64-byte inputs, OpenSSL        ${openssl === undefined ? 'not available (no openssl)' : `${fmt(openssl).padStart(12)} hashes/s`}   (openssl speed, wall clock: the machine's rate)`,
      `reference: RFC 6962 node hash (65 bytes), hash.ts    ${fmt(ceiling).padStart(12)} hashes/s   (nodeHash as the log calls it: the audit's ceiling)`,
      `reference: RFC 6962 leaf hash (${ENTRY_BYTES}-byte entry)       ${fmt(leafCeiling).padStart(12)} hashes/s   (leafHash as the log calls it)`,
      '',
      '',
    ].join('\n'),
  );

  // 1. In-process, 64 writers awaiting each acknowledgement.
  let log: OpenLog = await openLog({ dataDir: tempDir(), signer: key, logger: silent });
  report(
    `sequencer, ${WRITERS} writers × 1 in flight, durable`,
    await drive((e) => log.sequencer.add(e), WRITERS, 1, PHASE_MS),
  );
  // 2. The same, 64 writers × 64 in flight.
  const deep = await drive((e) => log.sequencer.add(e), WRITERS, 64, PHASE_MS);
  report(`sequencer, ${WRITERS} writers × 64 in flight, durable`, deep);
  await log.close();

  // 2b. The same two on the PostgreSQL log store, beside the SQLite rate just measured.
  await benchPostgres({
    signer: key,
    logger: silent,
    writers: WRITERS,
    phaseMs: PHASE_MS,
    sqliteRate: deep.entries / deep.seconds,
    drive,
    report,
  });

  // 2c. Replicas: `nospy serve` processes on one PostgreSQL database, over HTTP; writes to the
  //     sequencing one, then spread over three; full tile reads through one and three.
  await benchReplicas({
    signer: key,
    logger: silent,
    writers: WRITERS,
    phaseMs: PHASE_MS,
    drive,
    report,
  });

  // 3. Through HTTP.
  log = await openLog({ dataDir: tempDir(), signer: key, logger: silent });
  const app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: silent,
    submitToken: TOKEN,
    onClose: () => log.close(),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const http = httpAdder(url);
  report(
    `HTTP POST /add, ${WRITERS} connections × 1 in flight`,
    await drive(http.add, WRITERS, 1, PHASE_MS),
  );
  http.close();
  await app.close();

  // Reads: a log of 262,144 leaves built through the sequencer.
  const logDir = tempDir();
  log = await openLog({
    dataDir: logDir,
    signer: key,
    logger: silent,
    maxBatchEntries: 16_384,
    maxQueuedEntries: 1 << 20,
  });
  const target = 1 << 18;
  const buildCpu = cpuNow();
  const buildStart = performance.now();
  for (let done = 0; done < target; done += 65_536) {
    await Promise.all(Array.from({ length: 65_536 }, () => log.sequencer.add(nextEntry())));
  }
  const size = log.sequencer.checkpoint.size;
  const buildSeconds = (performance.now() - buildStart) / 1000;
  process.stdout.write(
    `${'sequencer, bulk (65,536 queued at a time), durable'.padEnd(58)} ${fmt(size / buildSeconds).padStart(9)} entries/s   (${fmt(size)} in ${buildSeconds.toFixed(1)} s)${cpuText(size, cpuSince(buildCpu))}\n\n`,
  );

  // 4. Inclusion proofs from the stored tiles.
  const tree = new TreeReader((level, index) => log.store.readTile(level, index));
  let proofs = 0;
  const proofStart = performance.now();
  while (performance.now() - proofStart < 3000) {
    const index = Math.floor(Math.random() * size);
    await tree.compute(size, (read) => inclusionProof(index, size, read));
    proofs += 1;
  }
  const proofSeconds = (performance.now() - proofStart) / 1000;
  process.stdout.write(
    `inclusion proofs from stored tiles (size ${fmt(size)})        ${fmt(proofs / proofSeconds).padStart(9)} proofs/s\n`,
  );

  // 5. The one verifier over the data directory, as `nospy log verify <dir>` and `nospy check`
  //    run it: the checkpoint, every tile, every entry re-hashed.
  await log.close();
  const hashing = auditCeiling(ENTRY_BYTES);
  const source = new SqliteLogSource(logDir);
  const verifyStart = performance.now();
  const verifyCpu = cpuSeconds();
  try {
    await verifyLog(source, { logKey: key, witnesses: [], quorum: 0 });
  } finally {
    await source.close();
  }
  const verifyRate = size / ((performance.now() - verifyStart) / 1000);
  const verifyPerCpu = size / (cpuSeconds() - verifyCpu);
  process.stdout.write(
    `full verification of the data directory (${ENTRY_BYTES}-byte entries) ${fmt(verifyRate).padStart(9)} leaves/s, ${fmt(verifyPerCpu)} per CPU-s   (hashing ceiling ${fmt(hashing.leaves)} per CPU-s: one leafHash + one nodeHash per leaf, measured now; ceiling ÷ this = ${(hashing.leaves / verifyPerCpu).toFixed(2)})\n`,
  );

  // 6. A server's start-up audit at 1M and 10M entries.
  const sizes = (process.env['BENCH_LOG_AUDIT_SIZES'] ?? '1000000,10000000')
    .split(',')
    .filter((s) => s !== '')
    .map(Number);
  await benchStoreAudit(key, sizes, ENTRY_BYTES, auditEntry);
}

try {
  await main();
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
