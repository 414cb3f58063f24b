/**
 * HTTP throughput of the read paths, all on one server in one run, loaded from another process
 * (autocannon's command line, 32 connections, best of three 2 s rounds): a full tlog-tiles tile, each read the
 * dashboard makes (`/v1/findings` with 200 findings, summary, history, devices, vendors,
 * releases, compliance), each beside `GET /healthz` on the same server and a static asset of the
 * same size (bytes from memory). Goal (issue 21): every read at least 50% of both. Also shown:
 * a revalidation that answers 304, and a brotli-accepting client.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Finding } from '../../src/check/finding.js';
import { openLog } from '../../src/log/open-log.js';
import { createServer } from '../../src/server/server.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { FixedSnapshotSource, SNAPSHOT } from '../../test/server-api/fixed-snapshot-source.js';
import { best } from './load.js';

const READS = [
  '/v1/findings',
  '/v1/summary',
  '/v1/findings/history',
  '/v1/devices',
  '/v1/vendors',
  '/v1/releases',
  '/v1/compliance',
];
const LOAD = { connections: 32, seconds: 2 };
// Best of three rounds: these machines are shared, and a neighbour's burst is not the server's speed.
const ROUNDS = 3;

let worst = Infinity;
for (const [label, findingCount] of [
  ['200 findings', 200],
  ['the fixture report (3 findings)', 0],
] as const) {
  process.stdout.write(`\n-- read API over ${label} --\n`);
  worst = Math.min(worst, await run(findingCount));
}
process.stdout.write(
  `\nworst read: ${worst.toFixed(2)}× of the lower of healthz and its static asset (goal ≥ 0.50): ${worst >= 0.5 ? 'met' : 'NOT met'}\n`,
);

/** One server over a report with `count` findings (0: the fixture's own); the worst ratio. */
async function run(count: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-http-'));
  try {
    const base = SNAPSHOT.findings[0] as Finding;
    const findings =
      count === 0
        ? SNAPSHOT.findings
        : Array.from({ length: count }, (_, i) => ({ ...base, id: `f-${String(i)}` }));
    const snapshots = new FixedSnapshotSource({ ...SNAPSHOT, findings });
    const log = await openLog({
      dataDir: join(dir, 'log'),
      signer: generateNoteKey('bench.example/log'),
    });
    await Promise.all(
      Array.from({ length: 512 }, (_, i) => log.sequencer.add(Buffer.from(`entry ${i}`))),
    );
    // The size of each view decides the size of its static reference.
    const sizes = new Map<string, number>();
    const probe = createServer({
      log: log.sequencer,
      store: log.store,
      logger: pino({ level: 'silent' }),
      snapshots,
    });
    for (const path of READS) sizes.set(path, (await probe.inject(path)).rawPayload.length);
    // The probe only injects and never listens; it is not closed, as that would close the log.
    const web = join(dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html>');
    for (const [path, size] of sizes)
      writeFileSync(join(web, 'assets', asset(path)), 'x'.repeat(size));
    const app = createServer({
      log: log.sequencer,
      store: log.store,
      logger: pino({ level: 'silent' }),
      snapshots,
      dashboard: web,
      onClose: () => log.close(),
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    process.stdout.write(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(
          ' ',
        )}; clients in another process, ${String(LOAD.connections)} connections, ${String(LOAD.seconds)} s, best of ${String(ROUNDS)}\n`,
    );
    process.stdout.write(
      'path                                           req/s  p50 ms  p99 ms    bad  ratio (goal ≥ 0.50 of both)\n',
    );
    const healthz = await best(ROUNDS, `${url}/healthz`, LOAD);
    row('GET /healthz (reference)', healthz);
    if (count !== 0) row('full tile tile/0/000', await best(ROUNDS, `${url}/tile/0/000`, LOAD));
    let least = Infinity;
    for (const path of READS) {
      const size = sizes.get(path) ?? 0;
      const reference = await best(ROUNDS, `${url}/assets/${asset(path)}`, LOAD);
      row(`static asset ${String(size)} B (reference)`, reference);
      const read = await best(ROUNDS, `${url}${path}`, LOAD);
      least = Math.min(least, read.rps / healthz.rps, read.rps / reference.rps);
      row(
        `GET ${path}`,
        read,
        `${(read.rps / healthz.rps).toFixed(2)}× healthz, ${(read.rps / reference.rps).toFixed(2)}× static`,
      );
    }
    const etag = String((await app.inject('/v1/findings')).headers.etag);
    row(
      'GET /v1/findings, If-None-Match (304)',
      await best(ROUNDS, `${url}/v1/findings`, { ...LOAD, headers: { 'if-none-match': etag } }),
    );
    row(
      'GET /v1/findings, Accept-Encoding: br',
      await best(ROUNDS, `${url}/v1/findings`, { ...LOAD, headers: { 'accept-encoding': 'br' } }),
    );
    await app.close();
    return least;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(name: string, r: { rps: number; p50: number; p99: number; bad: number }, note = '') {
  process.stdout.write(
    `${name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)}  ${String(r.p50).padStart(6)} ${String(r.p99).padStart(7)}  ${String(r.bad).padStart(5)}  ${note}\n`,
  );
}

function asset(path: string): string {
  return `${path.replaceAll('/', '_')}.js`;
}
