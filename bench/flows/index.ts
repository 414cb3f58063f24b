/**
 * bench/flows: decode (+ MUD check) records per CPU-second beside nfdump's nfcapd receiving the
 * same datagrams in the same run, then the offered rate at which our UDP collector first loses
 * records on loopback. Bounded to about a minute and a half.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FlowDecoder } from '../../src/flows/flow-decoder.js';
import type { FlowRecord } from '../../src/flows/flow-record.js';
import type { FlowSink, FlowView } from '../../src/flows/flow-view.js';
import { compileMud } from '../../src/mud/compile.js';
import { parseMudContext } from '../../src/mud/context.js';
import type { MudMatcher } from '../../src/mud/matcher.js';
import { parseMudText } from '../../src/mud/parse.js';
import { ipfixStream, netflowV9Stream, type ExportStream } from './streams.js';

const MUD = join(import.meta.dirname, '../../test/fixtures/mud');
const matcher: MudMatcher = compileMud(
  parseMudText(readFileSync(join(MUD, 'cisco-mud-manager/Luminaire_150.json'), 'utf8')),
  parseMudContext(readFileSync(join(MUD, 'cases/luminaire-context.yaml'), 'utf8')),
);

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Counts the flows it is given and, when `check` is set, judges each against the MUD file. */
class CheckingSink implements FlowSink {
  records = 0;
  violations = 0;

  constructor(private readonly check: boolean) {}

  flow(view: FlowView): void {
    this.records += 1;
    if (!this.check) return;
    const direction = matcher.directionOfFlow(view);
    if (direction !== undefined && matcher.matchFlow(view, direction).verdict === 'violation')
      this.violations += 1;
  }

  record(record: FlowRecord): void {
    this.records += 1;
    if (!this.check) return;
    const direction = matcher.directionOf(record);
    if (direction !== undefined && matcher.match(record, direction).verdict === 'violation')
      this.violations += 1;
  }
}

/**
 * Decodes the stream `rounds` times (fresh decoder each round). `records` builds a FlowRecord
 * object per flow (what `nospy flows decode` writes out); `flows` hands each flow to a sink in
 * the decoder's reused numeric view, optionally checking it against the MUD file.
 */
function decodeRate(
  stream: ExportStream,
  rounds: number,
  mode: 'records' | 'flows' | 'flows+check',
): { rate: number; records: number; violations: number } {
  const out: FlowRecord[] = [];
  const sink = new CheckingSink(mode === 'flows+check');
  let records = 0;
  const start = process.cpuUsage();
  for (let round = 0; round < rounds; round += 1) {
    const decoder = new FlowDecoder();
    decoder.decode(stream.template, '192.0.2.1', 1_700_000_000_000);
    for (const datagram of stream.data) {
      if (mode === 'records') {
        out.length = 0;
        decoder.decode(datagram, '192.0.2.1', 1_700_000_000_000, out);
        records += out.length;
      } else {
        decoder.decodeTo(datagram, '192.0.2.1', 1_700_000_000_000, sink);
      }
    }
  }
  records += sink.records;
  return { rate: records / cpuSeconds(start), records, violations: sink.violations };
}

/** Sends datagrams at `recordsPerSecond` (paced per millisecond), returns when all are sent. */
async function sendPaced(
  socket: Socket,
  port: number,
  datagrams: readonly Buffer[],
  recordsPerDatagram: number,
  recordsPerSecond: number,
): Promise<number> {
  const datagramsPerMs = recordsPerSecond / recordsPerDatagram / 1000;
  const started = performance.now();
  let sent = 0;
  let inFlight = 0;
  while (sent < datagrams.length) {
    const due = Math.min(
      datagrams.length,
      Math.floor((performance.now() - started) * datagramsPerMs) + 1,
    );
    while (sent < due && inFlight < 2048) {
      inFlight += 1;
      socket.send(datagrams[sent]!, port, '127.0.0.1', () => {
        inFlight -= 1;
      });
      sent += 1;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
  return (performance.now() - started) / 1000;
}

/** utime + stime of a process in seconds (/proc/<pid>/stat fields 14 and 15). */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

async function nfcapdRate(
  stream: ExportStream,
  socket: Socket,
): Promise<{ rate: number; records: number; cpu: number } | string> {
  if (spawnSync('nfcapd', ['-V']).status !== 0)
    return 'nfcapd not installed (Debian package nfdump)';
  const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-nfcapd-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(
    'nfcapd',
    [
      '-b',
      '127.0.0.1',
      '-p',
      String(port),
      '-w',
      dir,
      '-t',
      '3600',
      '-B',
      String(32 * 1024 * 1024),
    ],
    { stdio: 'ignore' },
  );
  await sleep(700);
  if (child.exitCode !== null || child.pid === undefined) return 'nfcapd did not start';
  const before = processCpuSeconds(child.pid);
  await sendPaced(socket, port, [stream.template], 1, 1000);
  await sleep(50);
  await sendPaced(socket, port, stream.data, stream.recordsPerDatagram, 300_000);
  await sleep(500);
  const cpu = processCpuSeconds(child.pid) - before;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  // Count what nfcapd actually stored (it may have lost datagrams).
  let records = 0;
  for (const file of readdirSync(dir).filter((f) => f.startsWith('nfcapd.'))) {
    const info = spawnSync('nfdump', ['-r', join(dir, file), '-I'], { encoding: 'utf8' });
    const match = /Flows:\s*(\d+)/.exec(info.stdout);
    records += match ? Number(match[1]) : 0;
  }
  return { rate: records / Math.max(cpu, 0.01), records, cpu };
}

async function collectorLoss(stream: ExportStream, socket: Socket): Promise<void> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'collector-child.ts')],
    { stdio: 'pipe' },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, number>> =>
    JSON.parse(((await lines.next()).value as string | undefined) ?? '{}') as Record<
      string,
      number
    >;
  const { port, receiveBufferBytes } = await next();
  console.log(
    `collector receive buffer granted by the kernel: ${fmt(receiveBufferBytes ?? 0)} bytes (asked 32 MiB; capped by net.core.rmem_max)`,
  );
  await sendPaced(socket, port!, [stream.template], 1, 1000);
  await sleep(100);
  let firstLoss: number | undefined;
  for (const rate of [100_000, 250_000, 500_000, 750_000, 1_000_000, 1_500_000]) {
    child.stdin.write('stats\n');
    const before = await next();
    const seconds = await sendPaced(socket, port!, stream.data, stream.recordsPerDatagram, rate);
    await sleep(300);
    child.stdin.write('stats\n');
    const after = await next();
    const received = (after.records ?? 0) - (before.records ?? 0);
    const offered = stream.records / seconds;
    const cpu = ((after.cpuMicros ?? 0) - (before.cpuMicros ?? 0)) / 1e6;
    const lost = stream.records - received;
    console.log(
      `  offered ${fmt(rate).padStart(9)} rec/s (achieved ${fmt(offered).padStart(9)}): received ${fmt(received)}/${fmt(stream.records)}, lost ${fmt(lost)}; collector ${fmt(received / cpu)} rec/CPU-s (receive + decode + NDJSON write)`,
    );
    if (lost > 0 && firstLoss === undefined) firstLoss = rate;
    if (lost > stream.records / 10) break;
  }
  child.stdin.write('stop\n');
  await new Promise((resolve) => child.once('exit', resolve));
  console.log(
    firstLoss === undefined
      ? 'collector lost nothing at any offered rate tried'
      : `collector first lost records at an offered ${fmt(firstLoss)} records/s`,
  );
}

const v9 = netflowV9Stream(20_000);
const ipfix = ipfixStream(20_000);
console.log(
  `streams: ${v9.name}: ${fmt(v9.records)} records in ${fmt(v9.data.length)} datagrams; ${ipfix.name}: ${fmt(ipfix.records)} records`,
);
for (const stream of process.env.BENCH_SKIP_DECODE === '1' ? [] : [v9, ipfix]) {
  // Warm-up: let the JIT settle on every path before measuring.
  decodeRate(stream, 1, 'records');
  decodeRate(stream, 2, 'flows+check');
  const objects = decodeRate(stream, 3, 'records');
  const decode = decodeRate(stream, 3, 'flows');
  const checked = decodeRate(stream, 3, 'flows+check');
  console.log(stream.name);
  console.log(
    `  nospy decode to FlowRecord objects: ${fmt(objects.rate).padStart(10)} records/CPU-s`,
  );
  console.log(
    `  nospy decode (flow view):           ${fmt(decode.rate).padStart(10)} records/CPU-s`,
  );
  console.log(
    `  nospy decode + MUD check:           ${fmt(checked.rate).padStart(10)} records/CPU-s (${fmt(checked.violations / 3)} violations per pass, Luminaire_150 MUD file)`,
  );
}
const socket = createSocket('udp4');
await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
socket.setSendBufferSize(8 * 1024 * 1024);
for (const stream of [v9, ipfix]) {
  const nf = await nfcapdRate(stream, socket);
  if (typeof nf === 'string') console.log(`nfcapd: ${nf}`);
  else
    console.log(
      `nfcapd (reference, ${stream.name}): ${fmt(nf.rate).padStart(10)} records/CPU-s (${fmt(nf.records)} records stored in ${nf.cpu.toFixed(2)} CPU-s, receive + decode + write)`,
    );
}
console.log(`UDP collector loss test (${v9.name}, loopback, stepped offered rate):`);
await collectorLoss(v9, socket);
socket.close();
