/**
 * The UDP collector in its own process for the loss test: prints its port, then answers each
 * "stats" line on stdin with its counters, the kernel's drops for its socket and its CPU time as
 * one JSON line.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { FlowCollector } from '../../src/flows/collector.js';

const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-collect-'));
const collector = new FlowCollector({
  host: '127.0.0.1',
  listeners: [{ kind: 'netflow', port: 0 }],
  ...(process.argv[2] === 'store'
    ? { store: { dir: join(dir, 'flows') } }
    : { out: join(dir, 'flows.ndjson') }),
});
const { listeners } = await collector.start();

/** CPU time of this process's main thread (the receive thread), from /proc (10 ms ticks). */
function receiveThreadCpuMicros(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return -1;
  }
}

process.stdout.write(
  `${JSON.stringify({ port: listeners[0]!.port, receiveBufferBytes: listeners[0]!.receiveBufferBytes })}\n`,
);
// The longest the receive thread's event loop was held up: a stall longer than the socket's
// buffer lasts is kernel drops even when the thread has CPU to spare.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'stop') break;
  const loopDelayMaxMs = loopDelay.max / 1e6;
  loopDelay.reset();
  // resourceUsage covers every thread of the process: receive and decode threads together.
  const usage = process.resourceUsage();
  const kernel = [...collector.kernelStats().values()][0];
  process.stdout.write(
    `${JSON.stringify({
      received: collector.counts.listeners[0]?.datagrams ?? 0,
      datagrams: collector.counters.datagrams,
      records: collector.counters.records,
      written: collector.counts.recordsWritten,
      cpuMicros: usage.userCPUTime + usage.systemCPUTime,
      receiveCpuMicros: receiveThreadCpuMicros(),
      malformed: collector.counters.malformedTotal,
      dropped: collector.counters.droppedTotal,
      backlogDropped: collector.counts.backlogDropped,
      kernelDrops: kernel?.drops ?? -1,
      loopDelayMaxMs,
    })}\n`,
  );
}
await collector.stop();
process.exit(0);
