/**
 * `npm run bench pipeline`: NetFlow v9 offered over UDP to two `nospy collect --bus` processes,
 * through JetStream (its own `nats-server -js` on a free port and a temporary store) to `nospy
 * traffic worker` processes committing aggregates to one SQLite store, with one worker and with
 * two. Beside it, in this process, the decode + behaviour check rate of the same datagrams (what
 * a worker's judging costs without the bus and the store). Prints loss (split by where it
 * happened), the consumer's backlog while offering, and the arrival → commit delay.
 *
 * Flags: --rate <records/s offered, both collectors together> (500000), --seconds <offering> (5).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { FlowDecoder } from '../../src/flows/flow-decoder.js';
import type { FlowRecord } from '../../src/flows/flow-record.js';
import { BehaviourCheck } from '../../src/mud/index.js';
import { loadDeviceMap } from '../../src/mud/load.js';
import { natsServer } from '../../test/helpers/nats-server.js';
import { netflowV9Stream, type ExportStream } from '../flows/streams.js';

const BIN = fileURLToPath(new URL('../../bin/nospy.js', import.meta.url));
const MUD = fileURLToPath(new URL('../../test/fixtures/mud/', import.meta.url));

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? undefined : Number(process.argv[i + 1]);
  return value === undefined || !Number.isFinite(value) || value <= 0 ? fallback : value;
}
const RATE = flag('rate', 500_000);
const SECONDS = flag('seconds', 5);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** The bench's device: the Luminaire_150 MUD file and its context (bench/flows uses the same). */
function writeConfig(dir: string): string {
  writeFileSync(
    join(dir, 'devices.yaml'),
    `devices:\n  - { id: luminaire, mud: ${join(MUD, 'cisco-mud-manager/Luminaire_150.json')}, context: ${join(MUD, 'cases/luminaire-context.yaml')} }\n`,
  );
  writeFileSync(join(dir, 'nospy.yaml'), 'check:\n  devices: devices.yaml\n');
  return join(dir, 'nospy.yaml');
}

/** Decode + behaviour check in this process: records per CPU-second. */
function inProcessRate(stream: ExportStream, devicesFile: string, rounds: number): number {
  const devices = loadDeviceMap(devicesFile);
  const start = process.cpuUsage();
  let records = 0;
  for (let round = 0; round < rounds; round += 1) {
    const decoder = new FlowDecoder();
    const check = new BehaviourCheck({ devices });
    const out: FlowRecord[] = [];
    decoder.decode(stream.template, '192.0.2.1', Date.now());
    for (const datagram of stream.data) {
      out.length = 0;
      decoder.decode(datagram, '192.0.2.1', Date.now(), out);
      for (const r of out) check.add(r);
      records += out.length;
    }
    check.partial();
  }
  const used = process.cpuUsage(start);
  return records / ((used.user + used.system) / 1e6);
}

function start(
  cwd: string,
  args: string[],
  ready: string,
): Promise<{ child: ChildProcessWithoutNullStreams; line: string; lines: () => string[] }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'pipe' });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      const before = err.length;
      err += chunk.toString();
      if (before === err.length) return;
      const line = err.split('\n').find((l) => l.includes(ready));
      if (line !== undefined) resolve({ child, line, lines: () => err.split('\n') });
    });
    child.on('exit', (code) => {
      reject(new Error(`nospy ${args.slice(0, 2).join(' ')} exited with ${code}: ${err}`));
    });
  });
}

/** SIGTERM; the stderr line holding `last` (the final counters). */
async function stop(
  p: { child: ChildProcessWithoutNullStreams; lines: () => string[] },
  last: string,
): Promise<Record<string, unknown>> {
  const exited = new Promise((resolve) => p.child.once('exit', resolve));
  p.child.kill('SIGTERM');
  await exited;
  const line = p.lines().find((l) => l.includes(last));
  return line === undefined ? {} : (JSON.parse(line) as Record<string, unknown>);
}

/** Offers the stream's datagrams, cycled, to each port in turn at `rate` records/s for `seconds`. */
async function offer(
  socket: Socket,
  ports: readonly number[],
  stream: ExportStream,
  rate: number,
  seconds: number,
): Promise<{ records: number; seconds: number }> {
  for (const port of ports) socket.send(stream.template, port, '127.0.0.1');
  const perMs = rate / stream.recordsPerDatagram / 1000;
  const total = Math.floor(rate * seconds) / stream.recordsPerDatagram;
  const started = performance.now();
  let sent = 0;
  let inFlight = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) * perMs) + 1);
    while (sent < due && inFlight < 4096) {
      inFlight += 1;
      const datagram = stream.data[sent % stream.data.length] as Buffer;
      socket.send(datagram, ports[sent % ports.length] as number, '127.0.0.1', () => {
        inFlight -= 1;
      });
      sent += 1;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
  return {
    records: sent * stream.recordsPerDatagram,
    seconds: (performance.now() - started) / 1000,
  };
}

interface RunResult {
  workers: number;
  offered: number;
  offeredRate: number;
  received: number;
  published: number;
  busDropped: number;
  committed: number;
  commitRate: number;
  backlogMid: number;
  backlogEnd: number;
  backlogMax: number;
  delayP99: number;
  drainSeconds: number;
}

async function pipeline(
  nc: NatsConnection,
  url: string,
  dir: string,
  config: string,
  stream: ExportStream,
  workers: number,
): Promise<RunResult> {
  const run = `B${process.pid}_${workers}_${Date.now().toString(36)}`;
  const bus = ['--bus', url, '--bus-stream', run, '--bus-subject', `${run}.flows`];
  const storeFile = join(dir, `${run}.db`);
  const collectors = [];
  for (let i = 0; i < 2; i += 1)
    collectors.push(
      await start(
        dir,
        ['collect', '--netflow', '0', '--host', '127.0.0.1', '--stats-interval', '0', ...bus],
        '"collector listening"',
      ),
    );
  const ports = collectors.map(
    (c) => (JSON.parse(c.line) as { listeners: { port: number }[] }).listeners[0]?.port as number,
  );
  const pool = [];
  for (let i = 0; i < workers; i += 1)
    pool.push(
      await start(
        dir,
        [
          'traffic',
          'worker',
          '--config',
          config,
          '--store',
          `sqlite:${storeFile}`,
          ...bus,
          '--consumer',
          `${run}_w`,
          '--stats-interval',
          '0',
        ],
        '"traffic worker started"',
      ),
    );
  const jsm = await jetstreamManager(nc);
  const db = new Database(storeFile, { readonly: true, fileMustExist: true });
  const committed = () =>
    (db.prepare('SELECT records FROM traffic_totals').get() as { records: number }).records;
  const backlog = async () => {
    try {
      const info = await jsm.consumers.info(run, `${run}_w`);
      return info.num_pending + info.num_ack_pending;
    } catch {
      // Not created yet (the first worker creates the consumer).
      return 0;
    }
  };
  const t0 = performance.now();
  const samples: number[] = [];
  // An object: the loop reads it across awaits while `offer` runs.
  const sampling = { on: true };
  const sampler = (async () => {
    while (sampling.on) {
      samples.push(await backlog());
      await sleep(250);
    }
  })();
  const socket = createSocket('udp4');
  socket.on('error', () => undefined);
  const sent = await offer(socket, ports, stream, RATE, SECONDS);
  sampling.on = false;
  await sampler;
  socket.close();
  const backlogEnd = await backlog();
  // Collectors stop: what they received is decoded and published (5 s to drain their buffer).
  const counters = [];
  for (const c of collectors) counters.push(await stop(c, '"collector stopped"'));
  let received = 0;
  let published = 0;
  let busDropped = 0;
  for (const c of counters) {
    const k = c.counters as {
      records?: number;
      bus?: { publishedRecords: number; dropped: Record<string, number> };
    };
    received += k.records ?? 0;
    published += k.bus?.publishedRecords ?? 0;
    busDropped += Object.values(k.bus?.dropped ?? {}).reduce((a, b) => a + b, 0);
  }
  // Drain: until every published record is committed, or no progress for 20 s.
  let last = committed();
  let lastChange = performance.now();
  while (last < published && performance.now() - lastChange < 20_000) {
    await sleep(100);
    const now = committed();
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    }
  }
  const tEnd = lastChange;
  const stats = [];
  for (const w of pool) stats.push(await stop(w, '"traffic worker stopped"'));
  db.close();
  const delays = stats.map((s) => (s.delayMs as { p99?: number } | undefined)?.p99 ?? NaN);
  const third = Math.max(1, Math.floor(samples.length / 3));
  const result: RunResult = {
    workers,
    offered: sent.records,
    offeredRate: sent.records / sent.seconds,
    received,
    published,
    busDropped,
    committed: last,
    commitRate: last / ((tEnd - t0) / 1000),
    backlogMid: samples[third] ?? 0,
    backlogEnd,
    backlogMax: Math.max(0, ...samples),
    delayP99: Math.max(...delays),
    drainSeconds: (tEnd - t0) / 1000 - sent.seconds,
  };
  await jsm.streams.delete(run).catch(() => false);
  rmSync(storeFile, { force: true });
  rmSync(`${storeFile}-wal`, { force: true });
  rmSync(`${storeFile}-shm`, { force: true });
  return result;
}

const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
if (which === '') {
  process.stdout.write('nats-server is not on PATH (Debian package nats-server): skipped\n');
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-pipeline-'));
const config = writeConfig(dir);
// 2,000 datagrams of 30 records, cycled: the Luminaire's device, remotes allowed and not.
const stream = netflowV9Stream(2000, 30);
process.stdout.write(
  `offering ${fmt(RATE)} records/s for ${SECONDS} s to two collectors (NetFlow v9, 30 records per datagram); load average ${load()}\n`,
);
const reference = inProcessRate(stream, join(dir, 'devices.yaml'), 10);
process.stdout.write(
  `in-process decode + behaviour check (reference): ${fmt(reference)} records/CPU-s\n`,
);
const nats = await natsServer(which);
await nats.start();
const nc = await connect({ servers: nats.url });
const results: RunResult[] = [];
try {
  for (const workers of [1, 2]) {
    const r = await pipeline(nc, nats.url, dir, config, stream, workers);
    results.push(r);
    const lost = r.offered - r.committed;
    process.stdout.write(
      [
        `\n${workers} worker${workers === 1 ? '' : 's'} (load average ${load()}):`,
        `  offered   ${fmt(r.offered)} records at ${fmt(r.offeredRate)} records/s`,
        `  received  ${fmt(r.received)} decoded by the collectors (lost before them: ${fmt(r.offered - r.received)}, ${((100 * (r.offered - r.received)) / r.offered).toFixed(1)} %)`,
        `  published ${fmt(r.published)} to JetStream (dropped by the bus buffer: ${fmt(r.busDropped)})`,
        `  committed ${fmt(r.committed)} by the workers (published − committed: ${fmt(r.published - r.committed)})`,
        `  loss      ${fmt(lost)} records, ${((100 * lost) / r.offered).toFixed(1)} % of offered`,
        `  end to end ${fmt(r.commitRate)} records/s committed (first datagram → last commit); ${r.drainSeconds.toFixed(1)} s of draining after the offer ended`,
        `  backlog   (pending + unacknowledged messages) a third into the offer ${fmt(r.backlogMid)}, at its end ${fmt(r.backlogEnd)}, max ${fmt(r.backlogMax)}: ${r.backlogEnd > r.backlogMid * 1.2 + 10 ? 'growing' : 'not growing'}`,
        `  arrival → commit delay p99 ${fmt(r.delayP99)} ms (the worst worker's)`,
        `  end to end / in-process reference: ${(r.commitRate / reference).toFixed(2)}`,
        '',
      ].join('\n'),
    );
  }
  const [one, two] = results;
  if (one !== undefined && two !== undefined)
    process.stdout.write(
      `\ntwo workers / one worker (committed records/s): ${(two.commitRate / one.commitRate).toFixed(2)}\n`,
    );
} finally {
  await nc.close();
  await nats.dispose();
  rmSync(dir, { recursive: true, force: true });
}
