/**
 * bench/writes: `POST /add` against `GET /healthz` on the same server, with the same connections,
 * in the same run, the clients (autocannon) in another process as users load a server. Each
 * entry is distinct (autocannon replaces `[<id>]` in the body), so every request is sequenced,
 * made durable (SQLite, fsync per batch) and acknowledged with its index. Goal: ≥ 80%.
 * The two loads alternate over ROUNDS rounds and the best of each is kept, so that a busy
 * moment on a shared machine does not land on one side only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openLog } from '../../src/log/open-log.js';
import { createServer } from '../../src/server/server.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load, type Load } from '../http/load.js';

const CONNECTIONS = 256;
const SECONDS = Number(process.env.NOSPY_BENCH_WRITES_SECONDS ?? '5');
const ROUNDS = 2;

const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-writes-'));
const log = await openLog({ dataDir: dir, signer: generateNoteKey('bench.example/log') });
const app = createServer({
  log: log.sequencer,
  store: log.store,
  logger: pino({ level: 'silent' }),
  submitToken: 'bench',
  // One client address holds every connection here: admit them all.
  limits: { writesPerClient: CONNECTIONS * 2 },
  onClose: () => log.close(),
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });

/** autocannon in a child (add-load.mjs), each request a distinct entry. */
function loadAdd(base: string): Promise<Load> {
  const script = fileURLToPath(new URL('./add-load.mjs', import.meta.url));
  const args = [script, base, String(CONNECTIONS), String(SECONDS), 'bench'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error !== null) {
        reject(new Error(`autocannon failed: ${error.message}`));
        return;
      }
      const r = JSON.parse(stdout) as {
        requests: { average: number; total: number };
        latency: { p50: number; p99: number };
        throughput: { total: number };
        non2xx: number;
        errors: number;
      };
      resolve({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        bad: r.errors + r.non2xx,
        bytesPerRequest: r.requests.total === 0 ? 0 : r.throughput.total / r.requests.total,
      });
    });
  });
}

const best = (a: Load | undefined, b: Load): Load => (a === undefined || b.rps > a.rps ? b : a);
let health: Load | undefined;
let add: Load | undefined;
for (let round = 0; round < ROUNDS; round += 1) {
  health = best(
    health,
    await load(`${url}/healthz`, { connections: CONNECTIONS, seconds: SECONDS }),
  );
  add = best(add, await loadAdd(url));
}
const size = log.sequencer.checkpoint.size;
await app.close();
rmSync(dir, { recursive: true, force: true });
if (health === undefined || add === undefined) throw new Error('no rounds ran');
if (add.bad > 0 || health.bad > 0)
  throw new Error(`answers outside 2xx: POST /add ${add.bad}, GET /healthz ${health.bad}`);

const row = (name: string, l: Load): string =>
  `${name.padEnd(34)} ${Math.round(l.rps).toString().padStart(7)} req/s  p50 ${l.p50} ms  p99 ${l.p99} ms`;
process.stdout.write(
  [
    `${CONNECTIONS} connections, autocannon in another process, best of ${ROUNDS} alternating ${SECONDS} s rounds (Node ${process.versions.node})`,
    row('GET /healthz (reference)', health),
    row('POST /add (distinct entries)', add),
    `POST /add: ${(add.rps / health.rps).toFixed(2)}× GET /healthz on the same server (goal ≥ 0.80); tree size ${size}`,
  ].join('\n') + '\n',
);
