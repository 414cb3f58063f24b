/**
 * Soak: the server (its own process, bench/soak/server.ts) under mixed load for a while — raw
 * appends, statement publishes, tile reads, read-API reads — while 1,000 slow clients hold
 * connections by sending their headers a byte at a time (cut at the header deadline, they
 * reconnect). Every 10 s it prints each load's throughput and p99 latency and the server's
 * resident memory (and of it the JavaScript heap and the memory held outside it by Buffers),
 * beside the same figures of the first 10 s (the reference: flat means nothing accumulates), with
 * the machine's load average (a shared machine slows every figure alike). At the end it prints the
 * first minute beside the last one, and the Go interoperability program (test/interop) checks the
 * log as served: the final checkpoint, every tile and entry, proofs, and every acknowledged entry
 * at its index — nothing lost.
 *
 *   npm run bench -- soak --minutes 30      (default: 1 minute; --seconds N also works)
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { loadPrivateKeyFile, loadStatementFile } from '../../src/statements/files.js';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import { signStatement } from '../../src/statements/sign.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { openCheckpoint } from '../../src/tlog/checkpoint.js';
import { RELEASE_PREDICATE_TYPE } from '../../src/statements/predicates/release.js';
import { verifyWithGo } from './interop.js';

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
/** Every acknowledged index → the leaf hash (hex) the server answered for it. */
const acknowledged = new Map<number, string>();
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
    if (response?.ok === true) acknowledge(await response.json());
  });

function acknowledge(answer: unknown): void {
  const { index, leafHash } = answer as { index: number; leafHash: string };
  acknowledged.set(index, leafHash);
}

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
    if (response?.ok === true) acknowledge(await response.json());
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

/** The server's resident memory, JavaScript heap in use and memory outside it (MiB). */
interface Memory {
  readonly rss: number;
  readonly heap: number;
  readonly external: number;
}

async function serverMemory(): Promise<Memory> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const mib = (name: string): number =>
    Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0) / 1024 / 1024;
  return {
    rss: mib('process_resident_memory_bytes'),
    heap: mib('nodejs_heap_size_used_bytes'),
    external: mib('nodejs_external_memory_bytes'),
  };
}

const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

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
/** One 10 s window: the figures of each load, the server's memory, the machine's load. */
interface Sample {
  readonly elapsed: number;
  readonly memory: Memory;
  readonly load: number;
  readonly figures: Record<string, { perSecond: number; p99: number; failures: number }>;
}
const samples: Sample[] = [];
/** The checkpoint after the first window: the final one must be consistent with it. */
let earlier: { size: number; rootHash: Buffer } | undefined;
const started = performance.now();
while (performance.now() - started < seconds * 1000) {
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const figures = Object.fromEntries(Object.entries(loads).map(([name, w]) => [name, w.take()]));
  const memory = await serverMemory();
  const elapsed = Math.round((performance.now() - started) / 1000);
  samples.push({ elapsed, memory, load: loadavg()[0] ?? 0, figures });
  const reference = samples[0] as Sample;
  if (earlier === undefined) {
    const { checkpoint } = openCheckpoint(await (await fetch(`${url}/checkpoint`)).text(), logKey);
    earlier = { size: checkpoint.size, rootHash: checkpoint.rootHash };
  }
  const m = (n: number) => n.toFixed(0);
  process.stdout.write(
    `\n${String(elapsed).padStart(5)} s  server RSS ${m(memory.rss)} MiB, heap ${m(memory.heap)}, external ${m(memory.external)} (first 10 s: ${m(reference.memory.rss)}, ${m(reference.memory.heap)}, ${m(reference.memory.external)})  slow connections held ${String(slowOpen)}  load average ${load()}\n`,
  );
  for (const [name, f] of Object.entries(figures)) {
    const first = reference.figures[name];
    process.stdout.write(
      `  ${name.padEnd(20)} ${f.perSecond.toFixed(0).padStart(6)} /s  p99 ${f.p99.toFixed(1).padStart(7)} ms  failed ${String(f.failures).padStart(4)}   (first 10 s: ${first?.perSecond.toFixed(0) ?? '-'} /s, p99 ${first?.p99.toFixed(1) ?? '-'} ms)\n`,
    );
  }
}

/**
 * The first minute beside the last one (each the mean of its windows; fewer windows in a short
 * run): flat memory and p99 is the goal, and the load average says how much of a change the
 * machine's other work explains.
 */
function printStartAndEnd(): void {
  const count = Math.max(1, Math.min(6, Math.floor(samples.length / 2)));
  const first = samples.slice(0, count);
  const last = samples.slice(-count);
  const mean = (list: Sample[], of: (s: Sample) => number) =>
    list.reduce((sum, s) => sum + of(s), 0) / Math.max(1, list.length);
  const span = (list: Sample[]) =>
    `${String((list[0]?.elapsed ?? 0) - 10)}–${String(list.at(-1)?.elapsed ?? 0)} s`;
  process.stdout.write(
    `\nstart (${span(first)}) vs end (${span(last)}), means of the 10 s windows:\n` +
      `  server RSS           ${mean(first, (s) => s.memory.rss).toFixed(0)} MiB → ${mean(last, (s) => s.memory.rss).toFixed(0)} MiB (heap ${mean(first, (s) => s.memory.heap).toFixed(0)} → ${mean(last, (s) => s.memory.heap).toFixed(0)}, external ${mean(first, (s) => s.memory.external).toFixed(0)} → ${mean(last, (s) => s.memory.external).toFixed(0)})\n` +
      `  load average (1 min) ${mean(first, (s) => s.load).toFixed(1)} → ${mean(last, (s) => s.load).toFixed(1)}\n`,
  );
  for (const name of Object.keys(loads)) {
    const rate = (list: Sample[]) => mean(list, (s) => s.figures[name]?.perSecond ?? 0);
    const p99 = (list: Sample[]) => mean(list, (s) => s.figures[name]?.p99 ?? 0);
    process.stdout.write(
      `  ${name.padEnd(20)} ${rate(first).toFixed(0).padStart(5)} → ${rate(last).toFixed(0).padStart(5)} /s (×${(rate(last) / Math.max(1e-9, rate(first))).toFixed(2)})   p99 ${p99(first).toFixed(1).padStart(6)} → ${p99(last).toFixed(1).padStart(6)} ms (×${(p99(last) / Math.max(1e-9, p99(first))).toFixed(2)})\n`,
    );
  }
}
running = false;
for (const socket of sockets) socket.destroy();
await Promise.all(workers);
printStartAndEnd();
const finalNote = await (await fetch(`${url}/checkpoint`)).text();
const { checkpoint } = openCheckpoint(finalNote, logKey);
const lost = [...acknowledged.keys()].filter((index) => index >= checkpoint.size).length;
process.stdout.write(
  `\nfinal checkpoint size ${String(checkpoint.size)}; ${String(acknowledged.size)} acknowledged indexes, ${String(lost)} beyond it${lost === 0 ? ': nothing lost' : ': LOST ENTRIES'}\n`,
);
const interop = await verifyWithGo({
  url,
  logVkey: logKey.vkey,
  checkpoint: finalNote,
  size: checkpoint.size,
  earlier,
  acknowledged,
});
process.stdout.write(
  interop.kind === 'verified'
    ? `Go interoperability: ${interop.summary}: nothing lost\n`
    : `Go interoperability ${interop.kind === 'failed' ? 'FAILED' : 'skipped'}: ${interop.reason}\n`,
);
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
process.exitCode = lost === 0 && interop.kind !== 'failed' ? 0 : 1;
