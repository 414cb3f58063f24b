/**
 * bench/dashboard: the overview's first page over a large estate. 100,000 findings (spread over
 * devices, vendors, kinds, severities and 200 days) are recorded as one check run in the finding
 * store (SQLite, as `nospy serve` keeps it), 5,000 of them triaged; the read API then answers
 * the requests the overview makes for its first screen -- `GET /v1/summary`, the first page of
 * `GET /v1/findings?limit=50` (the triage join, sort and window over every finding),
 * `/v1/findings/history`, `/v1/vendors` and `/v1/devices` -- through Fastify's inject (server time,
 * no network). Beside them, `GET /healthz` in the same run: the floor of a request through the
 * same server. Goal: the first page's server time under one second.
 *
 * NOSPY_BENCH_FINDINGS sets the number of findings (default 100,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { FINDING_KINDS, SEVERITIES, type Finding } from '../../src/check/finding.js';
import { reportWithHistory } from '../../src/check/report-history.js';
import { summarise } from '../../src/check/report.js';
import { openLog } from '../../src/log/open-log.js';
import type { ApiSnapshot } from '../../src/server/api/api-snapshot.js';
import { createServer } from '../../src/server/server.js';
import { SqliteFindingStore } from '../../src/store/sqlite/sqlite-finding-store.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';

const FINDINGS = Number(process.env.NOSPY_BENCH_FINDINGS ?? 100_000);
const TRIAGED = Math.min(5_000, FINDINGS);
const RUNS = 7;
const GOAL_MS = 1_000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

function finding(i: number): Finding {
  const at = new Date(START + (i % 200) * DAY + (i % 1000) * 1000).toISOString();
  return {
    id: `undeclared-traffic:${i.toString(16).padStart(16, '0')}`,
    kind: FINDING_KINDS[i % FINDING_KINDS.length] ?? 'undeclared-traffic',
    severity: SEVERITIES[i % SEVERITIES.length] ?? 'info',
    subject: { device: `dev-${String(i % 20_000)}`, vendor: `Vendor ${String(i % 40)}` },
    breaks: { type: 'clause', agreement: i % 40, clause: 'traffic-within-declared-mud' },
    firstSeen: at,
    lastSeen: at,
    explanation: `dev-${String(i % 20_000)} sent flows to 203.0.113.${String(i % 250)}:443, which its MUD file does not allow`,
    evidence: [
      {
        type: 'flows',
        records: [{ src: '10.0.0.1', dst: `203.0.113.${String(i % 250)}`, dport: 443, proto: 6 }],
        total: { records: 3, bytes: 1800 },
      },
    ],
  };
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ms = (t: number): string => `${t.toFixed(1).padStart(8)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-dashboard-'));
try {
  const all = Array.from({ length: FINDINGS }, (_, i) => finding(i));
  const store = new SqliteFindingStore(dir);
  let t = performance.now();
  await store.recordRun('2026-07-20T00:00:00.000Z', all);
  const recordMs = performance.now() - t;
  for (let i = 0; i < TRIAGED; i += 1) {
    await store.addTriage({
      finding: all[i * Math.floor(FINDINGS / TRIAGED)]?.id ?? '',
      state: i % 2 === 0 ? 'acknowledged' : 'false-positive',
      by: 'analyst',
      at: '2026-07-21T00:00:00.000Z',
      reason: 'bench',
    });
  }
  const histories = await store.histories();
  const findings = reportWithHistory(
    {
      evaluatedAt: '2026-07-20T00:00:00.000Z',
      inputs: { statements: 0, devices: 0, flowRecords: 0, images: 0, vulnerabilities: 0 },
      summary: summarise(all),
      findings: all,
    },
    histories,
  ).findings;
  const snapshot: ApiSnapshot = {
    generatedAt: '2026-07-20T00:00:00.000Z',
    computedAt: new Date().toISOString(),
    findings,
    histories,
    devices: [],
    vendors: [],
    releases: [],
    compliance: [],
    log: { origin: 'log.example/bench', size: 0, checkpoint: '' },
  };
  const signer = generateNoteKey('log.example/bench');
  const log = await openLog({ dataDir: join(dir, 'log'), signer });
  const app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    snapshots: { snapshot: () => Promise.resolve(snapshot) },
    findingStore: store,
    onClose: async () => {
      await store.close();
      await log.close();
    },
  });
  await app.ready();
  const FIRST_PAGE = [
    '/v1/summary',
    '/v1/findings?limit=50',
    '/v1/findings/history',
    '/v1/vendors',
    '/v1/devices',
  ];
  const time = async (url: string): Promise<number> => {
    const started = performance.now();
    const response = await app.inject({ method: 'GET', url });
    if (response.statusCode !== 200) throw new Error(`${url}: ${String(response.statusCode)}`);
    return performance.now() - started;
  };
  // The first request after a report is computed sorts it (then cached for that report).
  let cold = 0;
  for (const url of FIRST_PAGE) cold += await time(url);
  await time('/healthz');
  const perUrl = new Map<string, number[]>();
  const pages: number[] = [];
  const floor: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    let page = 0;
    for (const url of FIRST_PAGE) {
      const took = await time(url);
      perUrl.set(url, [...(perUrl.get(url) ?? []), took]);
      page += took;
    }
    pages.push(page);
    floor.push(await time('/healthz'));
  }
  t = performance.now();
  await time('/v1/findings?limit=50&offset=99950&sort=vendor&triage=unsuppressed');
  const lastPage = performance.now() - t;
  await app.close();

  process.stdout.write(
    `${FINDINGS.toLocaleString('en-US')} findings, ${TRIAGED.toLocaleString('en-US')} triaged; median of ${String(RUNS)} runs (server time, inject)\n`,
  );
  process.stdout.write(
    `  record the run in the store      ${ms(recordMs)}  (once per check run)\n`,
  );
  for (const [url, times] of perUrl)
    process.stdout.write(`  GET ${url.padEnd(28)} ${ms(median(times))}\n`);
  process.stdout.write(`  last page, sorted by vendor, unsuppressed ${ms(lastPage)}\n`);
  process.stdout.write(`  reference: GET /healthz          ${ms(median(floor))}\n`);
  process.stdout.write(`  overview first page, cold (first after the report) ${ms(cold)}\n`);
  const first = median(pages);
  process.stdout.write(
    `  overview first page (all five)   ${ms(first)}  goal < ${String(GOAL_MS)} ms: ${(first / GOAL_MS).toFixed(2)} of the goal -> ${first < GOAL_MS ? 'met' : 'NOT met'}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
