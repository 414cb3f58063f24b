import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { openLog, type OpenLog } from '../../src/log/open-log.js';
import { createServer, type LogServer } from '../../src/server/server.js';
import { tempDir } from '../log/helpers.js';
import { FixedSnapshotSource } from './fixed-snapshot-source.js';

let app: LogServer;
let log: OpenLog;
let remove: () => void;

beforeAll(async () => {
  const temp = tempDir('nospy-api-');
  remove = temp.remove;
  log = await openLog({ dataDir: temp.dir, signer: generateNoteKey('log.example/test') });
  app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    snapshots: new FixedSnapshotSource(),
    onClose: () => log.close(),
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  remove();
});

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json() };
}

describe('GET /v1/summary', () => {
  it('counts findings by kind and severity, devices, vendors, releases and reports the log', async () => {
    const { status, body } = await get('/v1/summary');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      findings: {
        total: 3,
        byKind: { 'undeclared-traffic': 1, 'firmware-not-logged': 1, 'policy-violation': 1 },
        bySeverity: { high: 1, critical: 1, medium: 1 },
      },
      devices: 2,
      vendors: 2,
      releases: 1,
      log: { origin: 'log.example/test', size: 8 },
    });
    expect(body.checked).toBe(true);
    expect(body).not.toHaveProperty('reason');
  });
});

describe('GET /v1/findings', () => {
  it('filters by kind, severity, device, vendor and since together', async () => {
    const ids = async (query: string) =>
      ((await get(`/v1/findings${query}`)).body.findings as { id: string }[]).map((f) => f.id);
    expect(await ids('')).toHaveLength(3);
    expect(await ids('?kind=firmware-not-logged')).toEqual(['f-notlogged-1']);
    expect(await ids('?severity=high')).toEqual(['f-undeclared-1']);
    expect(await ids('?device=cam-1')).toEqual(['f-undeclared-1']);
    expect(await ids('?vendor=globex')).toEqual(['f-notlogged-1', 'f-policy-1']);
    expect(await ids('?since=2026-11-21')).toEqual(['f-notlogged-1', 'f-policy-1']);
    expect(await ids('?since=2026-11-21T10:00:00Z&vendor=globex')).toEqual(['f-policy-1']);
  });

  describe('when a filter is not one the API knows', () => {
    it.each([
      ['?kind=spying', 'kind'],
      ['?severity=dire', 'severity'],
      ['?since=yesterday', 'since'],
      ['?colour=red', 'colour'],
      ['?device=a/b', 'device'],
    ])('answers 400 API_BAD_REQUEST for %s naming the field', async (query, field) => {
      const { status, body } = await get(`/v1/findings${query}`);
      expect(status).toBe(400);
      const error = body.error as { code: string; message: string };
      expect(error.code).toBe('API_BAD_REQUEST');
      expect(error.message).toContain(field);
    });
  });

  it('answers one finding with its evidence, and 404 for an unknown id', async () => {
    const found = await get('/v1/findings/f-policy-1');
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({
      kind: 'policy-violation',
      breaks: { type: 'rule', pack: 'eu-5g-toolbox' },
      evidence: [{ type: 'policy', rule: 'vendor-share-cap' }],
    });
    const missing = await get('/v1/findings/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'API_NOT_FOUND' } });
  });

  it('groups findings per day of firstSeen, oldest first', async () => {
    const { body } = await get('/v1/findings/history');
    expect(body.days).toEqual([
      { day: '2026-11-20', total: 1, byKind: { 'undeclared-traffic': 1 }, bySeverity: { high: 1 } },
      {
        day: '2026-11-21',
        total: 2,
        byKind: { 'firmware-not-logged': 1, 'policy-violation': 1 },
        bySeverity: { critical: 1, medium: 1 },
      },
    ]);
  });
});

describe('devices, vendors, releases', () => {
  it('lists devices with their firmware verdict and finding count', async () => {
    const { body } = await get('/v1/devices');
    expect(body.devices).toEqual([
      expect.objectContaining({ id: 'cam-1', firmware: 'logged', findings: 1 }),
      expect.objectContaining({ id: 'sw-1', firmware: 'not-logged', findings: 1 }),
    ]);
  });

  it('answers a device with its release, MUD, traffic verdicts, grants, timeline and findings', async () => {
    const { status, body } = await get('/v1/devices/cam-1');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      releaseInfo: { version: '1.2.0', index: 4 },
      mud: { allowed: ['updates.acme.example:443'] },
      traffic: [{ verdict: 'allowed' }, { destination: '203.0.113.9:443', verdict: 'undeclared' }],
      accessGrants: [{ grantee: 'acme-support', statement: 7 }],
      timeline: [{ ref: 'f-undeclared-1' }],
      findingList: [{ id: 'f-undeclared-1' }],
    });
    expect((await get('/v1/devices/cam-9')).status).toBe(404);
  });

  it('answers a vendor with each clause of its agreement and the findings that break it', async () => {
    const { body } = await get('/v1/vendors/acme');
    expect(body).toMatchObject({
      agreement: 3,
      agreementDetail: {
        clauses: [
          { id: 'no-undeclared-destinations', status: 'broken', findings: ['f-undeclared-1'] },
          { id: 'firmware-logged-before-deployment', status: 'kept', findings: [] },
        ],
      },
      releaseList: [{ version: '1.2.0' }],
      canary: [{ status: 'fresh' }],
      compliance: [{ pack: 'eu-5g-toolbox', status: 'pass' }],
    });
    const vendors = (await get('/v1/vendors')).body.vendors as { id: string; findings: number }[];
    expect(vendors.map((v) => [v.id, v.findings])).toEqual([
      ['acme', 1],
      ['globex', 2],
    ]);
    const releases = (await get('/v1/releases')).body.releases as {
      reproducibility: { status: string; attestations: { evaluator: string }[] };
    }[];
    expect(releases).toHaveLength(1);
    // Each release says who rebuilt it from source, and with what verdict.
    expect(releases[0]?.reproducibility).toMatchObject({
      status: 'reproduced',
      attestations: [{ evaluator: 'Albion Evaluation Lab', verdict: 'equivalent' }],
    });
  });
});

describe('GET /v1/compliance', () => {
  it('marks vendor shares over the cap and lists the pack findings, deadlines and plan', async () => {
    const { body } = await get('/v1/compliance');
    expect(body.packs).toEqual([
      expect.objectContaining({
        pack: 'eu-5g-toolbox',
        findings: [expect.objectContaining({ id: 'f-policy-1' })],
        domains: [
          {
            domain: 'core',
            cap: 0.5,
            shares: [
              { vendor: 'globex', share: 0.7, capped: true, overCap: true },
              { vendor: 'acme', share: 0.3, capped: true, overCap: false },
            ],
          },
        ],
        deadlines: [expect.objectContaining({ date: '2027-06-30' })],
        plan: [expect.objectContaining({ device: 'sw-1' })],
      }),
    ]);
  });
});

describe('GET /openapi.json', () => {
  it('is generated from the route schemas: every read route with its query parameters', async () => {
    const { status, body } = await get('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.0.3');
    const paths = body.paths as Record<string, { get?: { parameters?: { name: string }[] } }>;
    for (const path of [
      '/v1/summary',
      '/v1/findings',
      '/v1/findings/history',
      '/v1/findings/{id}',
      '/v1/devices',
      '/v1/devices/{id}',
      '/v1/vendors',
      '/v1/vendors/{id}',
      '/v1/releases',
      '/v1/compliance',
    ]) {
      expect(paths[path]?.get, path).toBeDefined();
    }
    const params = paths['/v1/findings']?.get?.parameters?.map((p) => p.name);
    expect(params).toEqual(
      expect.arrayContaining(['kind', 'severity', 'device', 'vendor', 'since']),
    );
  });
});

describe('GET /metrics', () => {
  it('reports the request histogram by route, the log size and findings by kind', async () => {
    await get('/v1/summary');
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    const text = response.body;
    expect(text).toMatch(
      /nospy_http_request_duration_seconds_count\{[^}]*route="\/v1\/summary"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/^nospy_log_size 0$/m);
    expect(text).toMatch(/^nospy_findings\{kind="policy-violation"\} 1$/m);
  });

  it('keeps /healthz and /readyz', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).body).toMatchObject({ status: 'ready', size: 0 });
  });
});
