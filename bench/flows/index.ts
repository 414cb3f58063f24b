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

/** utime + stime of every thread of a process, in seconds, by thread id. */
function threadCpuSeconds(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return threads;
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

/**
 * Sends `count` datagrams (cycling through the stream's) on a connected socket at
 * `recordsPerSecond`, paced per millisecond. Returns the seconds it took until the last send
 * completed: the achieved offered rate is count·recordsPerDatagram over that, whatever was asked.
 */
async function offer(
  socket: Socket,
  datagrams: readonly Buffer[],
  count: number,
  recordsPerDatagram: number,
  recordsPerSecond: number,
): Promise<number> {
  const datagramsPerMs = recordsPerSecond / recordsPerDatagram / 1000;
  const started = performance.now();
  let sent = 0;
  let inFlight = 0;
  const done = (): void => {
    inFlight -= 1;
  };
  while (sent < count) {
    const due = Math.min(count, Math.floor((performance.now() - started) * datagramsPerMs) + 1);
    while (sent < due && inFlight < 4096) {
      inFlight += 1;
      socket.send(datagrams[sent % datagrams.length]!, done);
      sent += 1;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
  return (performance.now() - started) / 1000;
}

async function collectorLoss(stream: ExportStream, output: 'file' | 'store'): Promise<void> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'collector-child.ts'), output],
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
    `  output: ${output === 'file' ? '--out NDJSON file' : '--data flow store (fsynced segments)'}; SO_RCVBUF asked 32 MiB, kernel reports ${fmt(receiveBufferBytes ?? 0)} bytes (Linux caps the request at net.core.rmem_max = ${readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim()} and reports it doubled)`,
  );
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.setSendBufferSize(8 * 1024 * 1024);
  // Connected: every send skips the address lookup an unconnected send does.
  await new Promise<void>((resolve) => {
    socket.connect(port!, '127.0.0.1', resolve);
  });
  await offer(socket, [stream.template], 1, 1, 1000);
  await sleep(100);
  let firstLoss: number | undefined;
  let cleanUpTo: number | undefined;
  for (const rate of [100_000, 250_000, 500_000, 750_000, 1_000_000, 1_500_000]) {
    // About two seconds of traffic at each rate.
    const count = Math.ceil((rate * 2) / stream.recordsPerDatagram);
    const records = count * stream.recordsPerDatagram;
    child.stdin.write('stats\n');
    const before = await next();
    const threadsBefore = threadCpuSeconds(child.pid!);
    const seconds = await offer(socket, stream.data, count, stream.recordsPerDatagram, rate);
    // Count only once the collector has drained: its socket (received stopped growing) and its
    // decode queue (every received datagram decoded or counted as a backlog drop). Up to 60 s:
    // on a loaded machine the decode thread may be far behind, which is a delay, not a loss.
    let after = before;
    const polls: Record<string, number>[] = [];
    for (let i = 0; i < 600; i += 1) {
      await sleep(100);
      child.stdin.write('stats\n');
      const now = await next();
      polls.push(now);
      const drained =
        now.received === after.received &&
        (now.datagrams ?? 0) + (now.backlogDropped ?? 0) === now.received;
      after = now;
      if (drained && i > 2) break;
    }
    const delta = (key: string): number => (after[key] ?? 0) - (before[key] ?? 0);
    const busiest = [...threadCpuSeconds(child.pid!)]
      .map(
        ([tid, cpu]) =>
          [
            tid === String(child.pid) ? 'receive' : tid,
            cpu - (threadsBefore.get(tid) ?? 0),
          ] as const,
      )
      .filter(([, cpu]) => cpu > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([tid, cpu]) => `${tid} ${cpu.toFixed(2)}`)
      .join(', ');
    const stall = Math.max(...[after, ...polls].map((p) => p.loopDelayMaxMs ?? 0));
    console.log(
      `    busiest threads (CPU-s): ${busiest}; longest receive-loop stall ${stall.toFixed(0)} ms`,
    );
    const received = delta('records');
    const achieved = records / seconds;
    const cpu = delta('cpuMicros') / 1e6;
    const lost = records - received;
    console.log(
      `  asked ${fmt(rate).padStart(9)} rec/s, offered ${fmt(achieved).padStart(9)} rec/s (${fmt(count / seconds)} datagrams/s): received ${fmt(received)}/${fmt(records)}, lost ${fmt(lost)} (kernel drops ${fmt(delta('kernelDrops'))}, decode-backlog drops ${fmt(delta('backlogDropped'))} datagrams, written ${fmt(delta('written'))}); collector CPU ${cpu.toFixed(2)} s (receive thread ${(delta('receiveCpuMicros') / 1e6).toFixed(2)} s), ${fmt(received / cpu)} rec/CPU-s`,
    );
    if (lost > 0 && firstLoss === undefined) firstLoss = achieved;
    if (lost === 0 && firstLoss === undefined) cleanUpTo = achieved;
    if (lost > records / 10) break;
  }
  socket.close();
  child.stdin.write('stop\n');
  await new Promise((resolve) => child.once('exit', resolve));
  console.log(
    firstLoss === undefined
      ? `  collector lost nothing at any offered rate tried (up to ${fmt(cleanUpTo ?? 0)} records/s offered)`
      : `  the offered rate at which the UDP collector first loses records: ${fmt(firstLoss)} records/s (no loss up to ${fmt(cleanUpTo ?? 0)} records/s offered)`,
  );
}

/**
 * The reference for the loss test, in the same run: nfcapd (C, one thread, recvfrom per
 * datagram) offered the same steps. One nfcapd per step, so its file can be counted after it
 * exits.
 */
async function nfcapdLoss(stream: ExportStream): Promise<void> {
  if (spawnSync('nfcapd', ['-V']).status !== 0) {
    console.log('  nfcapd not installed (Debian package nfdump): no reference');
    return;
  }
  let firstLoss: number | undefined;
  for (const rate of [100_000, 250_000, 500_000, 750_000, 1_000_000, 1_500_000]) {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-nfcapd-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(
      'nfcapd',
      ['-b', '127.0.0.1', '-p', String(port), '-w', dir, '-t', '3600', '-B', String(32 << 20)],
      { stdio: 'ignore' },
    );
    await sleep(700);
    if (child.exitCode !== null) {
      console.log('  nfcapd did not start');
      return;
    }
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.setSendBufferSize(8 * 1024 * 1024);
    await new Promise<void>((resolve) => {
      socket.connect(port, '127.0.0.1', resolve);
    });
    await offer(socket, [stream.template], 1, 1, 1000);
    await sleep(50);
    const count = Math.ceil((rate * 2) / stream.recordsPerDatagram);
    const records = count * stream.recordsPerDatagram;
    const seconds = await offer(socket, stream.data, count, stream.recordsPerDatagram, rate);
    await sleep(500);
    socket.close();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    let stored = 0;
    for (const file of readdirSync(dir).filter((f) => f.startsWith('nfcapd.'))) {
      const info = spawnSync('nfdump', ['-r', join(dir, file), '-I'], { encoding: 'utf8' });
      const match = /Flows:\s*(\d+)/.exec(info.stdout);
      stored += match ? Number(match[1]) : 0;
    }
    const achieved = records / seconds;
    console.log(
      `  asked ${fmt(rate).padStart(9)} rec/s, offered ${fmt(achieved).padStart(9)} rec/s: nfcapd stored ${fmt(stored)}/${fmt(records)}, lost ${fmt(records - stored)}`,
    );
    if (records > stored && firstLoss === undefined) firstLoss = achieved;
    if (records - stored > records / 10) break;
  }
  console.log(
    firstLoss === undefined
      ? '  nfcapd lost nothing at any offered rate tried'
      : `  nfcapd (reference) first lost records at an offered ${fmt(firstLoss)} records/s`,
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
for (const stream of process.env.BENCH_SKIP_NFCAPD === '1' ? [] : [v9, ipfix]) {
  const nf = await nfcapdRate(stream, socket);
  if (typeof nf === 'string') console.log(`nfcapd: ${nf}`);
  else
    console.log(
      `nfcapd (reference, ${stream.name}): ${fmt(nf.rate).padStart(10)} records/CPU-s (${fmt(nf.records)} records stored in ${nf.cpu.toFixed(2)} CPU-s, receive + decode + write)`,
    );
}
socket.close();
// The loss test sends 30 records per datagram (1,974-byte datagrams; loopback's MTU is 64 KiB):
// 500,000 records/s is then about 16,700 datagrams/s, which one sending thread can offer.
const lossStream = netflowV9Stream(2_000, 30);
console.log(
  `UDP collector loss test (${lossStream.name}, ${lossStream.recordsPerDatagram} records per datagram, loopback, stepped offered rate):`,
);
for (const output of (process.env.BENCH_COLLECTOR_OUTPUTS ?? 'file,store').split(','))
  await collectorLoss(lossStream, output === 'store' ? 'store' : 'file');
if (process.env.BENCH_SKIP_NFCAPD !== '1') {
  console.log('nfcapd loss test (reference, same stream and steps):');
  await nfcapdLoss(lossStream);
}
