/**
 * The read API over the demo world: the check engine's real report of `examples/demo/nospy.yaml`,
 * joined with the logged statements. Assertions follow the findings the report holds (not fixed
 * counts), so the demo can grow.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/check/finding.js';
import { startDemoServer, type DemoServer } from '../helpers/demo-server.js';

let demo: DemoServer;
let findings: Finding[];

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${demo.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

interface Clause {
  id: string;
  status: string;
  findings: string[];
  note?: string;
}
interface Vendor {
  id: string;
  name: string;
  agreement?: number;
  agreementDetail?: { index: number; clauses: Clause[] };
  canary: { at: string; status: string; statement?: number; finding?: string }[];
  compliance: { pack: string; status: string }[];
}
interface Device {
  id: string;
  vendor: string;
  traffic: { destination: string; verdict: string; flows: number; finding?: string }[];
  trafficCounts?: { allowed: number; violations: number };
  accessGrants: { grantId?: string; statement?: number }[];
  timeline: { at: string; ref?: string }[];
  findingList: Finding[];
}
interface Pack {
  pack: string;
  findings: Finding[];
  domains: { rule?: string; cap: number; shares: { share: number; overCap: boolean }[] }[];
  deadlines: { date: string }[];
  plan: { by: string; step: string; rule?: string }[];
}

let startedAt = 0;

beforeAll(async () => {
  startedAt = Date.now();
  demo = await startDemoServer();
  findings = (await get<{ findings: Finding[] }>('/v1/findings')).findings;
}, 120_000);

afterAll(async () => {
  await demo.close();
});

interface Release {
  releasedAt: string;
  loggedAt?: string;
  vendor: string;
  version: string;
  reproducibility: {
    status: string;
    finding?: string;
    attestations: {
      evaluator: string;
      verdict: string;
      differences?: { path: string; change: string }[];
    }[];
  };
}

describe('the demo releases', () => {
  it('say when the log integrated each, not the time the vendor claims', async () => {
    const { releases } = await get<{ releases: Release[] }>('/v1/releases');
    expect(releases.length).toBeGreaterThan(0);
    for (const r of releases) {
      // The demo logs its statements as it starts; the vendors date their releases months before.
      const logged = Date.parse(r.loggedAt ?? '');
      expect(logged, r.version).toBeGreaterThanOrEqual(startedAt);
      expect(logged, r.version).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(r.releasedAt), r.version).toBeLessThan(startedAt);
    }
  });
});

describe('the reproducibility of the demo releases', () => {
  it('says who rebuilt each release, with what verdict, and which files differ', async () => {
    const { releases } = await get<{ releases: Release[] }>('/v1/releases');
    for (const r of releases) {
      const finding = findings.find(
        (f) => f.kind.startsWith('release-not-') && f.id === r.reproducibility.finding,
      );
      // A release is reproduced exactly when no release-not-* finding names it.
      expect(r.reproducibility.status === 'reproduced', r.version).toBe(finding === undefined);
    }
    const acme = releases.find((r) => r.vendor === 'acme-networks');
    expect(acme?.reproducibility.attestations.map((a) => [a.evaluator, a.verdict])).toEqual([
      ['Albion Evaluation Lab', 'equivalent'],
      ['Open Rebuilders', 'equivalent'],
    ]);
    const globex = releases.find((r) => r.vendor === 'globex-telecom-systems');
    expect(globex?.reproducibility.status).toBe('not-equivalent');
    expect(
      globex?.reproducibility.attestations[0]?.differences
        ?.filter((d) => d.change !== 'metadata')
        .map((d) => `${d.change} ${d.path}`),
    ).toEqual(['added /etc/init.d/S99support', 'content /usr/sbin/dropbear']);
  });

  it('lists the release-reproduced clause in each vendor agreement', async () => {
    for (const id of ['acme-networks', 'globex-telecom-systems']) {
      const vendor = await get<Vendor>(`/v1/vendors/${id}`);
      const clause = vendor.agreementDetail?.clauses.find((c) => c.id === 'release-reproduced');
      expect(clause?.status, id).toBe(id === 'acme-networks' ? 'kept' : 'broken');
    }
  });
});

describe('the demo world through the read API', () => {
  it('has findings to show', () => {
    expect(findings.length).toBeGreaterThan(0);
  });

  it('lists each vendor whose agreement is logged with that agreement', async () => {
    const agreements = (
      await get<{ statements: { index: number; vendor: string | null }[] }>(
        '/v1/statements?type=agreement',
      )
    ).statements;
    expect(agreements.length).toBeGreaterThan(0);
    const { vendors } = await get<{ vendors: Vendor[] }>('/v1/vendors');
    for (const a of agreements) {
      const vendor = vendors.find((v) => v.name === a.vendor);
      expect(vendor, String(a.vendor)).toBeDefined();
      expect(vendor?.agreement).toBeGreaterThanOrEqual(a.index);
    }
  });

  it('marks every clause a finding breaks as broken, naming the finding, on its vendor page', async () => {
    const { vendors } = await get<{ vendors: Vendor[] }>('/v1/vendors');
    const details = await Promise.all(
      vendors
        .filter((v) => v.agreement !== undefined)
        .map((v) => get<Vendor>(`/v1/vendors/${v.id}`)),
    );
    const breaking = findings.filter((f) => f.breaks.type === 'clause');
    expect(breaking.length).toBeGreaterThan(0);
    for (const f of breaking) {
      if (f.breaks.type !== 'clause') continue;
      const { agreement, clause } = f.breaks;
      const owner = details.find((d) => d.agreementDetail?.index === agreement);
      const row = owner?.agreementDetail?.clauses.find((c) => c.id === clause);
      expect(row, `${f.id} breaks ${clause} of ${String(agreement)}`).toMatchObject({
        status: 'broken',
      });
      expect(row?.findings).toContain(f.id);
    }
    for (const d of details) {
      for (const c of d.agreementDetail?.clauses ?? []) {
        expect(['kept', 'broken', 'not-checked', 'pending']).toContain(c.status);
        if (c.status !== 'broken') expect(c.findings).toEqual([]);
      }
    }
  });

  it('checks every clause of the demo: its SBOMs were matched, so none is "not checked"', async () => {
    const { vendors } = await get<{ vendors: Vendor[] }>('/v1/vendors');
    for (const v of vendors.filter((x) => x.agreement !== undefined)) {
      const detail = await get<Vendor>(`/v1/vendors/${v.id}`);
      for (const c of detail.agreementDetail?.clauses ?? []) {
        expect(c.status, `${v.id} ${c.id}: ${c.note ?? ''}`).not.toBe('not-checked');
      }
    }
  });

  it('gives each vendor its logged canaries and the lapses the report found', async () => {
    const canaries = (
      await get<{ statements: { index: number; vendor: string | null }[] }>(
        '/v1/statements?type=canary',
      )
    ).statements;
    const { vendors } = await get<{ vendors: Vendor[] }>('/v1/vendors');
    for (const v of vendors) {
      const detail = await get<Vendor>(`/v1/vendors/${v.id}`);
      const fresh = detail.canary.filter((c) => c.status === 'fresh').map((c) => c.statement);
      expect(fresh.sort()).toEqual(
        canaries
          .filter((c) => c.vendor === v.name)
          .map((c) => c.index)
          .sort(),
      );
      const lapses = findings
        .filter((f) => f.kind === 'canary-lapsed' && f.subject.vendor === v.name)
        .map((f) => f.id);
      expect(detail.canary.filter((c) => c.status === 'lapsed').map((c) => c.finding)).toEqual(
        lapses,
      );
    }
    expect(findings.some((f) => f.kind === 'canary-lapsed')).toBe(true);
  });

  it('shows each traffic finding as a verdict on its device, with counts of allowed and violating flows', async () => {
    const traffic = findings.filter(
      (f) => f.kind === 'undeclared-traffic' || f.kind === 'unapproved-access',
    );
    expect(traffic.length).toBeGreaterThan(0);
    for (const f of traffic) {
      const device = await get<Device>(`/v1/devices/${f.subject.device ?? ''}`);
      const row = device.traffic.find((t) => t.finding === f.id);
      expect(row?.verdict).toBe(
        f.kind === 'undeclared-traffic' ? 'undeclared' : 'unapproved-access',
      );
      expect(device.trafficCounts?.violations).toBeGreaterThanOrEqual(row?.flows ?? 1);
      expect(device.timeline.map((e) => e.ref)).toContain(f.id);
      expect(device.findingList.map((x) => x.id)).toContain(f.id);
    }
  });

  it('shows each logged access grant on the devices it names', async () => {
    const grants = (await get<{ statements: { index: number }[] }>('/v1/statements?type=access'))
      .statements;
    const { devices } = await get<{ devices: Device[] }>('/v1/devices');
    const shown = (
      await Promise.all(devices.map((d) => get<Device>(`/v1/devices/${d.id}`)))
    ).flatMap((d) => d.accessGrants.map((g) => g.statement));
    for (const g of grants) expect(shown).toContain(g.index);
  });

  it('reports every configured pack with shares against caps, deadlines and the plan', async () => {
    const { packs } = await get<{ packs: Pack[] }>('/v1/compliance');
    const policy = findings.filter((f) => f.kind === 'policy-violation');
    expect(policy.length).toBeGreaterThan(0);
    for (const f of policy) {
      if (f.breaks.type !== 'rule') continue;
      const { pack: id, rule } = f.breaks;
      const pack = packs.find((p) => p.pack === id);
      expect(pack, id).toBeDefined();
      expect(pack?.findings.map((x) => x.id)).toContain(f.id);
      // A broken cap shows a share over it.
      const caps = pack?.domains.filter((d) => d.rule === rule) ?? [];
      if (caps.length > 0) expect(caps.some((d) => d.shares.some((s) => s.overCap))).toBe(true);
    }
    for (const p of packs) {
      for (const d of p.domains) {
        for (const s of d.shares) if (s.overCap) expect(s.share).toBeGreaterThan(d.cap);
      }
      for (const step of p.plan) expect(step.by).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const dates = p.deadlines.map((d) => d.date);
      expect(dates).toEqual([...dates].sort());
    }
    expect(packs.some((p) => p.plan.length > 0)).toBe(true);
  });

  it('fails a vendor on a pack whose violation lists its devices', async () => {
    const { vendors } = await get<{ vendors: Vendor[] }>('/v1/vendors');
    const { devices } = await get<{ devices: Device[] }>('/v1/devices');
    for (const f of findings) {
      if (f.kind !== 'policy-violation' || f.breaks.type !== 'rule') continue;
      const pack = f.breaks.pack;
      const items = f.evidence.flatMap((e) => (e.type === 'policy' ? e.items : []));
      const owners = new Set(devices.filter((d) => items.includes(d.id)).map((d) => d.vendor));
      expect(owners.size).toBeGreaterThan(0);
      for (const owner of owners) {
        const v = await get<Vendor>(`/v1/vendors/${owner}`);
        expect(v.compliance.find((c) => c.pack === pack)?.status).toBe('fail');
        expect(vendors.find((x) => x.id === owner)).toBeDefined();
      }
    }
  });

  it('finds a vendor by any spelling of its name', async () => {
    const { vendors } = await get<{ vendors: Vendor[] }>('/v1/vendors');
    for (const v of vendors) {
      const byName = await get<Vendor>(
        `/v1/vendors/${encodeURIComponent(v.name.replace(/ /g, '-'))}`,
      );
      expect(byName.id).toBe(v.id);
    }
  });
});

describe('the vendor links of the findings', () => {
  it('resolve each vendor a finding names, however it is spelt, to a vendor page', async () => {
    const names = new Set(findings.flatMap((f) => f.subject.vendor?.split(', ') ?? []));
    expect(names.size).toBeGreaterThan(0);
    for (const name of names) {
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      const response = await fetch(`${demo.url}/v1/vendors/${encodeURIComponent(slug)}`);
      expect(response.status, name).toBe(200);
    }
  });
});

describe('PUT /v1/blobs on the demo server', () => {
  const doc = Buffer.from('{"bomFormat":"CycloneDX","specVersion":"1.6","demo":true}');
  const hex = createHash('sha256').update(doc).digest('hex');
  const put = (headers: Record<string, string>) =>
    fetch(`${demo.url}/v1/blobs/sha256:${hex}`, { method: 'PUT', body: doc, headers });

  it('answers 401 without the operator token and stores nothing', async () => {
    const response = await put({});
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'BLOB_UNAUTHORIZED',
    );
    expect((await fetch(`${demo.url}/v1/blobs/sha256:${hex}`)).status).toBe(404);
  });

  it('takes the blob with the token POST /add takes', async () => {
    const response = await put({ authorization: `Bearer ${demo.submitToken}` });
    expect(response.status).toBe(201);
  });
});

describe('/openapi.json', () => {
  it('documents the new fields: clause status, canary history, traffic verdicts and counts, the plan', async () => {
    const text = JSON.stringify(await get<unknown>('/openapi.json'));
    for (const field of [
      'not-checked',
      'trafficCounts',
      'unapproved-access',
      'nextDue',
      'overdue',
      'capped',
      'grantId',
      'vendorName',
    ])
      expect(text, field).toContain(`"${field}"`);
  });
});
