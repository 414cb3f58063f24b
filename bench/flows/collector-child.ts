/**
 * The UDP collector in its own process for the loss test: prints its port, then answers each
 * "stats" line on stdin with its counters and CPU time as one JSON line.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FlowCollector } from '../../src/flows/collector.js';

const out = join(mkdtempSync(join(tmpdir(), 'nospy-bench-collect-')), 'flows.ndjson');
const collector = new FlowCollector({
  host: '127.0.0.1',
  listeners: [{ kind: 'netflow', port: 0 }],
  out,
});
const { listeners } = await collector.start();
process.stdout.write(
  `${JSON.stringify({ port: listeners[0]!.port, receiveBufferBytes: listeners[0]!.receiveBufferBytes })}\n`,
);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'stop') break;
  const cpu = process.cpuUsage();
  process.stdout.write(
    `${JSON.stringify({
      datagrams: collector.decoder.counters.datagrams,
      records: collector.decoder.counters.records,
      written: collector.counts.recordsWritten,
      cpuMicros: cpu.user + cpu.system,
      malformed: collector.decoder.counters.malformedTotal,
      dropped: collector.decoder.counters.droppedTotal,
    })}\n`,
  );
}
await collector.stop();
process.exit(0);
