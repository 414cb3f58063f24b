/**
 * Soak: the server (its own process, bench/soak/server.ts) under mixed load for a while — raw
 * appends, statement publishes, tile reads, read-API reads — while 1,000 slow clients hold
 * connections by sending their headers a byte at a time (cut at the header deadline, they
 * reconnect). Every 10 s it prints each load's throughput and p99 latency and the server's
 * resident memory, beside the same figures of the first 10 s (the reference: flat means
 * nothing accumulates). At the end, every acknowledged index must be in the final checkpoint.
 *
 *   npm run bench -- soak --minutes 30      (default: 1 minute; --seconds N also works)
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { loadPrivateKeyFile, loadStatementFile } from '../../src/statements/files.js';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import { signStatement } from '../../src/statements/sign.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { openCheckpoint } from '../../src/tlog/checkpoint.js';
import { RELEASE_PREDICATE_TYPE } from '../../src/statements/predicates/release.js';

const args = process.argv.slice(2);
const flag = (name: string): number | undefined => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : Number(args[at + 1]);
};
const seconds = (flag('--minutes') ?? 0) * 60 + (flag('--seconds') ?? 0) || 60;
const WINDOW_MS = 10_000;
const SLOW_CLIENTS = 1_000;

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const acme = loadPrivateKeyFile(`${examples}keys/example-acme-vendor.key`);
const { statement: release } = loadStatementFile(`${examples}statements/release.yaml`);
const logKey = generateNoteKey('bench.example/soak');

const server = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('server.ts', import.meta.url)), logKey.skey],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise<string>((resolve, reject) => {
  server.once('exit', (code) => {
    reject(new Error(`the server exited with ${String(code)}`));
  });
  createInterface({ input: server.stdout }).once('line', resolve);
});

/** Latencies (ms) and counts of one load in the current window. */
class Window {
  latencies: number[] = [];
  failures = 0;
  record(ms: number, ok: boolean): void {
    if (ok) this.latencies.push(ms);
    else this.failures += 1;
  }
  take(): { perSecond: number; p99: number; failures: number } {
    const sorted = this.latencies.sort((a, b) => a - b);
    const result = {
      perSecond: sorted.length / (WINDOW_MS / 1000),
      p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
      failures: this.failures,
    };
    this.latencies = [];
    this.failures = 0;
    return result;
  }
}

const loads = {
  'POST /add': new Window(),
  'POST /v1/statements': new Window(),
  'GET /tile': new Window(),
  'GET /v1/summary': new Window(),
};
const acknowledged = new Set<number>();
let running = true;

async function timed(
  window: Window,
  request: () => Promise<Response>,
): Promise<Response | undefined> {
  const start = performance.now();
  try {
    const response = await request();
    window.record(performance.now() - start, response.ok);
    return response;
  } catch {
    window.record(performance.now() - start, false);
    return undefined;
  }
}

async function loop(body: () => Promise<void>): Promise<void> {
  while (running) await body();
}

const writer = () =>
  loop(async () => {
    const response = await timed(loads['POST /add'], () =>
      fetch(`${url}/add`, {
        method: 'POST',
        headers: { authorization: 'Bearer soak' },
        body: randomBytes(150).toString('hex'),
      }),
    );
    if (response?.ok === true)
      acknowledged.add(((await response.json()) as { index: number }).index);
  });

if (release.predicateType !== RELEASE_PREDICATE_TYPE) throw new Error('not a release');
const releasePredicate = release.predicate;
let version = 0;
const publisher = () =>
  loop(async () => {
    version += 1;
    const statement = {
      ...release,
      predicate: {
        ...releasePredicate,
        version: `${releasePredicate.version}-soak.${String(version)}`,
      },
    };
    const body = serializeEnvelope(signStatement(statement, acme));
    const response = await timed(loads['POST /v1/statements'], () =>
      fetch(`${url}/v1/statements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
    );
    if (response?.ok === true)
      acknowledged.add(((await response.json()) as { index: number }).index);
  });

const tileReader = () =>
  loop(async () => {
    const response = await timed(loads['GET /tile'], () => fetch(`${url}/tile/0/000.p/1`));
    await response?.arrayBuffer();
  });

const apiReader = () =>
  loop(async () => {
    const response = await timed(loads['GET /v1/summary'], () => fetch(`${url}/v1/summary`));
    await response?.arrayBuffer();
  });

/** A client that sends its headers a byte every 2 s; when the server cuts it, it comes back. */
let slowOpen = 0;
function slowClient(): void {
  if (!running) return;
  const { port } = new URL(url);
  const socket: Socket = connect(Number(port), '127.0.0.1');
  const text = `POST /v1/statements HTTP/1.1\r\nHost: soak\r\nX-Slow: ${'a'.repeat(4096)}`;
  let at = 0;
  let timer: NodeJS.Timeout | undefined;
  socket.once('connect', () => {
    slowOpen += 1;
    timer = setInterval(() => socket.write(text.slice(at, (at += 1))), 2_000);
  });
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  socket.once('close', () => {
    if (timer !== undefined) {
      clearInterval(timer);
      slowOpen -= 1;
    }
    setTimeout(slowClient, 100);
  });
  sockets.push(socket);
}
const sockets: Socket[] = [];

async function serverRss(): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^process_resident_memory_bytes (\d+)/m.exec(text);
  return Number(match?.[1] ?? 0) / 1024 / 1024;
}

// Something to read before the readers start.
await fetch(`${url}/add`, {
  method: 'POST',
  headers: { authorization: 'Bearer soak' },
  body: 'first',
});
for (let i = 0; i < SLOW_CLIENTS; i += 1) slowClient();
const workers = [
  ...Array.from({ length: 8 }, writer),
  ...Array.from({ length: 4 }, publisher),
  ...Array.from({ length: 8 }, tileReader),
  ...Array.from({ length: 4 }, apiReader),
];
process.stdout.write(
  `soak for ${String(seconds)} s against ${url}: 8 writers, 4 publishers, 8 tile readers, 4 API readers, ${String(SLOW_CLIENTS)} slow clients\n`,
);
let reference:
  { rss: number; figures: Record<string, { perSecond: number; p99: number }> } | undefined;
const started = performance.now();
while (performance.now() - started < seconds * 1000) {
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const figures = Object.fromEntries(Object.entries(loads).map(([name, w]) => [name, w.take()]));
  const rss = await serverRss();
  reference ??= { rss, figures };
  const elapsed = Math.round((performance.now() - started) / 1000);
  process.stdout.write(
    `\n${String(elapsed).padStart(5)} s  server RSS ${rss.toFixed(0)} MiB (first 10 s: ${reference.rss.toFixed(0)} MiB)  slow connections held ${String(slowOpen)}\n`,
  );
  for (const [name, f] of Object.entries(figures)) {
    const first = reference.figures[name];
    process.stdout.write(
      `  ${name.padEnd(20)} ${f.perSecond.toFixed(0).padStart(6)} /s  p99 ${f.p99.toFixed(1).padStart(7)} ms  failed ${String(f.failures).padStart(4)}   (first 10 s: ${first?.perSecond.toFixed(0) ?? '-'} /s, p99 ${first?.p99.toFixed(1) ?? '-'} ms)\n`,
    );
  }
}
running = false;
for (const socket of sockets) socket.destroy();
await Promise.all(workers);
const { checkpoint } = openCheckpoint(await (await fetch(`${url}/checkpoint`)).text(), logKey);
const lost = [...acknowledged].filter((index) => index >= checkpoint.size).length;
process.stdout.write(
  `\nfinal checkpoint size ${String(checkpoint.size)}; ${String(acknowledged.size)} acknowledged indexes, ${String(lost)} beyond it${lost === 0 ? ': nothing lost' : ': LOST ENTRIES'}\n`,
);
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
process.exitCode = lost === 0 ? 0 : 1;
