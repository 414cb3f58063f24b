/**
 * HTTP throughput of the read paths, all on one server in one run: a full tlog-tiles tile, the
 * read API's `/v1/findings` (200 findings through the zod serializer), a static dashboard asset
 * as the reference (bytes from memory, no serialization), and `/healthz` as the floor. Loopback,
 * 10 connections, 3 s each.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { pino } from 'pino';
import type { Finding } from '../../src/check/finding.js';
import { openLog } from '../../src/log/open-log.js';
import { createServer } from '../../src/server/server.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { FixedSnapshotSource, SNAPSHOT } from '../../test/server-api/fixed-snapshot-source.js';

const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-http-'));
try {
  const log = await openLog({
    dataDir: join(dir, 'log'),
    signer: generateNoteKey('bench.example/log'),
  });
  await Promise.all(
    Array.from({ length: 512 }, (_, i) => log.sequencer.add(Buffer.from(`entry ${i}`))),
  );
  const base = SNAPSHOT.findings[0] as Finding;
  const findings = Array.from({ length: 200 }, (_, i) => ({ ...base, id: `f-${String(i)}` }));
  const web = join(dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html>');
  writeFileSync(join(web, 'assets', 'app.js'), 'x'.repeat(8192));
  const app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    snapshots: new FixedSnapshotSource({ ...SNAPSHOT, findings }),
    dashboard: web,
    onClose: () => log.close(),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const targets: [string, string][] = [
    ['static asset (8 KiB, reference)', '/assets/app.js'],
    ['full tile tile/0/000', '/tile/0/000'],
    ['GET /v1/findings (200 findings)', '/v1/findings'],
    ['GET /healthz', '/healthz'],
  ];
  process.stdout.write(
    'path                                   req/s     p50 ms  p99 ms  non-2xx\n',
  );
  for (const [name, path] of targets) {
    const result = await autocannon({ url: `${url}${path}`, connections: 10, duration: 3 });
    process.stdout.write(
      `${name.padEnd(38)} ${result.requests.average.toFixed(0).padStart(7)}  ${String(result.latency.p50).padStart(7)} ${String(result.latency.p99).padStart(7)}  ${String(result.non2xx + result.errors)}\n`,
    );
  }
  await app.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
