import { describe, expect, it } from 'vitest';
import { checkReport } from '../../check/report.js';
import type { CheckEvidence } from '../../check/evidence.js';
import type { Finding } from '../../check/finding.js';
import {
  ACME,
  ALL_CLAUSES,
  GLOBEX,
  IMAGE_A,
  IMAGE_G,
  NOW,
  agreement,
  canary,
  grant,
  logged,
  release,
} from '../../check/test-support.js';
import type { BehaviourDevice } from '../../mud/index.js';
import { accept, flow, matcherFor, mudJson } from '../../mud/test-support.js';
import { snapshotFromReport } from './report-snapshot.js';
import { vendorId } from './vendor-records.js';

const LOG = { origin: 'log.example/test', size: 1, checkpoint: 'c' };

describe('snapshotFromReport over a hand-built report', () => {
  const evidence: CheckEvidence = {
    statements: [logged(release(ACME, IMAGE_A), 0)],
    inventory: [
      { id: 'r1', vendor: ACME, model: 'R1', firmware: { sha256: IMAGE_A } },
      { id: 'g1', vendor: GLOBEX, model: undefined, firmware: { sha256: IMAGE_G } },
      { id: 'x1', vendor: GLOBEX, model: undefined, firmware: undefined },
    ],
  };
  const finding: Finding = {
    id: 'f-1',
    kind: 'firmware-not-logged',
    severity: 'critical',
    subject: { device: 'g1', vendor: GLOBEX },
    breaks: { type: 'clause', agreement: 0, clause: 'firmware-logged-before-deployment' },
    firstSeen: '2026-06-01T00:00:00Z',
    lastSeen: '2026-06-01T00:00:00Z',
    explanation: 'g1 runs an image no logged release names',
    evidence: [],
  };
  const report = { ...checkReport(evidence, { now: NOW }), findings: [finding] };
  const snapshot = snapshotFromReport(evidence, report, LOG);

  it('lists each logged release image with its vendor id, version, log index, SBOM and MUD file', () => {
    expect(snapshot.releases).toEqual([
      {
        digest: `sha256:${IMAGE_A}`,
        vendor: 'acme-networks',
        version: '1.0',
        index: 0,
        releasedAt: '2026-01-10',
        // The SBOM and MUD file the release statement names (check/test-support's digest).
        sbom: { digest: `sha256:${'c'.repeat(64)}`, format: 'cyclonedx' },
        mud: { digest: `sha256:${'c'.repeat(64)}` },
        reproducibility: { status: 'not-required', attestations: [] },
      },
    ]);
  });

  it('judges each device firmware logged, not logged, or unknown without an image', () => {
    expect(snapshot.devices.map((d) => [d.id, d.firmware])).toEqual([
      ['r1', 'logged'],
      ['g1', 'not-logged'],
      ['x1', 'unknown'],
    ]);
  });

  it('serves the report findings and puts each on its device timeline', () => {
    expect(snapshot.findings).toBe(report.findings);
    const g1 = snapshot.devices.find((d) => d.id === 'g1');
    expect(g1?.timeline.map((e) => e.ref)).toContain('f-1');
    expect(snapshot.devices.find((d) => d.id === 'r1')?.timeline.map((e) => e.ref)).toEqual(['0']);
  });

  it('gives each vendor a path-safe id and keeps its name', () => {
    expect(snapshot.vendors.map((v) => [v.id, v.name])).toEqual([
      ['acme-networks', ACME],
      ['globex-telecom-systems', GLOBEX],
    ]);
    expect(snapshot.devices.find((d) => d.id === 'g1')).toMatchObject({
      vendor: 'globex-telecom-systems',
      vendorName: GLOBEX,
    });
  });
});

describe('snapshotFromReport over the engine report', () => {
  const ROUTER = '10.0.0.2';
  const T0 = Date.UTC(2026, 4, 1, 8);
  const router: BehaviourDevice = {
    id: 'acme-1',
    addresses: [ROUTER],
    localNetworks: ['10.0.0.0/24'],
    matcher: matcherFor(
      mudJson([
        accept('cloud', {
          ipv4: { 'ietf-acldns:dst-dnsname': 'cloud.example.com' },
          tcp: { 'destination-port': { port: 443 } },
        }),
      ]),
    ),
  };
  const records = [
    // Declared (the MUD context resolves cloud.example.com to 198.51.100.10).
    flow({ src: ROUTER, dst: '198.51.100.10', dport: 443, first: T0, last: T0 + 1 }),
    flow({ src: ROUTER, dst: '198.51.100.10', dport: 443, first: T0 + 5, last: T0 + 6 }),
    // Undeclared: a beacon.
    flow({ src: ROUTER, dst: '203.0.113.66', proto: 17, sport: 5000, dport: 53535, first: T0 }),
    flow({ src: ROUTER, dst: '203.0.113.66', proto: 17, sport: 5000, dport: 53535, first: T0 }),
    // ssh inside the grant, and ssh from elsewhere with none.
    flow({ src: '198.51.100.7', dst: ROUTER, sport: 50000, dport: 22, first: T0, tcpFlags: 2 }),
    flow({ src: '192.0.2.200', dst: ROUTER, sport: 50001, dport: 22, first: T0, tcpFlags: 2 }),
    // Touches no device: not counted.
    flow({ src: '192.0.2.1', dst: '192.0.2.2', first: T0 }),
  ];
  const statements = [
    logged(agreement(ACME, [...ALL_CLAUSES]), 0),
    logged(release(ACME, IMAGE_A), 1),
    logged(
      grant(ACME, 'acme-1', '198.51.100.0/24', '2026-04-30T00:00:00Z', '2026-05-02T00:00:00Z'),
      2,
    ),
    logged(canary(ACME, '2026-01-20'), 3),
    logged(canary(ACME, '2026-02-15'), 4),
    logged(agreement(GLOBEX, [...ALL_CLAUSES]), 5),
  ];
  const evidence: CheckEvidence = {
    statements,
    inventory: [
      { id: 'acme-1', vendor: 'ACME NETWORKS', model: 'R1', firmware: { sha256: IMAGE_A } },
    ],
    flows: { devices: [router], records, sources: ['flows.ndjson'] },
  };
  const report = checkReport(evidence, { now: NOW });
  const snapshot = snapshotFromReport(evidence, report, LOG);
  const acme = snapshot.vendors.find((v) => v.id === 'acme-networks');
  const device = snapshot.devices.find((d) => d.id === 'acme-1');

  it('joins the inventory spelling and the signed one into one vendor named as signed', () => {
    expect(snapshot.vendors.map((v) => v.id)).toEqual(['acme-networks', 'globex-telecom-systems']);
    expect(acme?.name).toBe(ACME);
    expect(device?.vendor).toBe('acme-networks');
  });

  it('fills the agreement from its statement: every clause with its status and breaking findings', () => {
    expect(acme?.agreement?.index).toBe(0);
    const byClause = Object.fromEntries((acme?.agreement?.clauses ?? []).map((c) => [c.id, c]));
    const ids = (kind: string) =>
      report.findings
        .filter((f) => f.kind === kind && f.subject.vendor?.toLowerCase() === ACME.toLowerCase())
        .map((f) => f.id);
    expect(byClause['traffic-within-declared-mud']).toMatchObject({
      status: 'broken',
      findings: ids('undeclared-traffic'),
    });
    expect(byClause['remote-access-only-under-cosigned-grant']).toMatchObject({
      status: 'broken',
      findings: ids('unapproved-access'),
    });
    expect(byClause['canary-every']).toMatchObject({
      status: 'broken',
      findings: ids('canary-lapsed'),
    });
    expect(byClause['firmware-logged-before-deployment']).toMatchObject({ status: 'kept' });
    expect(byClause['critical-vulns-fixed-within']).toMatchObject({ status: 'not-checked' });
    expect(Object.keys(byClause)).toHaveLength(ALL_CLAUSES.length);
  });

  it('marks the flow clauses not checked when no flows were given', () => {
    const { flows: _flows, ...noFlows } = evidence;
    const without = snapshotFromReport(noFlows, checkReport(noFlows, { now: NOW }), LOG);
    const clauses = without.vendors.find((v) => v.id === 'acme-networks')?.agreement?.clauses;
    expect(clauses?.find((c) => c.id === 'traffic-within-declared-mud')?.status).toBe(
      'not-checked',
    );
    expect(without.devices[0]?.trafficCounts).toBeUndefined();
  });

  it('gives each vendor its canaries and lapses in date order', () => {
    const history = acme?.canary ?? [];
    expect(history.filter((c) => c.status === 'fresh').map((c) => [c.at, c.statement])).toEqual([
      ['2026-01-20', 3],
      ['2026-02-15', 4],
    ]);
    const lapses = report.findings.filter(
      (f) => f.kind === 'canary-lapsed' && f.subject.vendor === ACME,
    );
    expect(lapses.length).toBeGreaterThan(0);
    expect(history.filter((c) => c.status === 'lapsed').map((c) => c.finding)).toEqual(
      lapses.map((f) => f.id),
    );
    const times = history.map((c) => Date.parse(c.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const globex = snapshot.vendors.find((v) => v.id === 'globex-telecom-systems');
    expect(globex?.canary.every((c) => c.status === 'lapsed')).toBe(true);
  });

  it('counts the device flows allowed and in violation, and lists each violation (in report order) with its finding', () => {
    expect(device?.trafficCounts).toEqual({ allowed: 3, violations: 3 });
    const undeclared = report.findings.find((f) => f.kind === 'undeclared-traffic');
    const unapproved = report.findings.find((f) => f.kind === 'unapproved-access');
    expect(device?.traffic).toEqual([
      {
        destination: '192.0.2.200',
        service: 'tcp/22',
        verdict: 'unapproved-access',
        flows: 1,
        finding: unapproved?.id,
      },
      {
        destination: '203.0.113.66',
        service: 'udp/53535',
        verdict: 'undeclared',
        flows: 2,
        finding: undeclared?.id,
      },
      { destination: '198.51.100.10', verdict: 'allowed', flows: 2 },
      { destination: '198.51.100.7', verdict: 'allowed', flows: 1 },
    ]);
  });

  it('gives the device its MUD file from its release, its grants and a dated timeline', () => {
    expect(device?.mud).toEqual({
      url: 'https://mud.example.com/r1.json',
      digest: `sha256:${'c'.repeat(64)}`,
      allowed: ['198.51.100.10', '198.51.100.7'],
    });
    expect(device?.accessGrants).toEqual([
      {
        grantee: ACME,
        scope: 'tcp (tcp/22)',
        from: '2026-04-30T00:00:00Z',
        until: '2026-05-02T00:00:00Z',
        statement: 2,
        grantId: 'G-1',
        sources: ['198.51.100.0/24'],
      },
    ]);
    const refs = device?.timeline.map((e) => e.ref) ?? [];
    expect(refs).toContain('1');
    expect(refs).toContain('2');
    for (const f of report.findings.filter((x) => x.subject.device === 'acme-1'))
      expect(refs).toContain(f.id);
    const times = device?.timeline.map((e) => Date.parse(e.at)) ?? [];
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('a vendor’s id in API paths', () => {
  it.each([
    ['Acme Networks', 'acme-networks'],
    ['  Globex, Telecom -- Systems ', 'globex-telecom-systems'],
  ])('makes %j the path id %j', (name, id) => {
    expect(vendorId(name)).toBe(id);
    expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/);
  });

  it('gives two vendors named in Chinese or Cyrillic script two ids', () => {
    const names = ['华为技术有限公司', '中兴通讯股份有限公司', 'Ростелеком', 'Ромашка'];
    const ids = names.map(vendorId);
    expect(new Set(ids).size).toBe(names.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/);
    expect(vendorId('华为技术有限公司')).toBe(vendorId('华为技术 有限公司'));
  });
});

describe('the vulnerability clause while its fix window is open', () => {
  const statements = [
    logged(agreement(ACME, [...ALL_CLAUSES]), 0),
    logged(release(ACME, IMAGE_A), 1),
  ];
  const advisory = (id: string, daysBeforeNow: number) => ({
    release: `sha256:${IMAGE_A}`,
    component: 'openssl',
    version: '3.0.0',
    advisory: {
      id,
      aliases: [],
      severity: 'critical',
      published: new Date(NOW - daysBeforeNow * 86_400_000).toISOString(),
    },
    affected: '<3.0.7',
  });
  const clauseOf = (evidence: CheckEvidence) =>
    snapshotFromReport(
      { ...evidence, sbomsMatched: [`sha256:${'5'.repeat(64)}`] },
      checkReport(evidence, { now: NOW }),
      LOG,
    )
      .vendors.find((v) => v.id === 'acme-networks')
      ?.agreement?.clauses.find((c) => c.id === 'critical-vulns-fixed-within');

  it('is pending, not "not checked", while a critical advisory is younger than its 30 days', () => {
    const clause = clauseOf({ statements, vulnerabilities: [advisory('CVE-2026-1', 10)] });
    expect(clause?.status).toBe('pending');
    expect(clause?.note).toMatch(/^1 advisory match\(es\) within the 30-day fix window/);
  });

  it('is broken once the window has passed unfixed', () => {
    expect(clauseOf({ statements, vulnerabilities: [advisory('CVE-2026-2', 200)] })?.status).toBe(
      'broken',
    );
  });

  it('is kept when the SBOMs were matched and nothing was found', () => {
    expect(clauseOf({ statements, vulnerabilities: [] })?.status).toBe('kept');
  });

  const unmatched = (evidence: CheckEvidence) =>
    snapshotFromReport(evidence, checkReport(evidence, { now: NOW }), LOG)
      .vendors.find((v) => v.id === 'acme-networks')
      ?.agreement?.clauses.find((c) => c.id === 'critical-vulns-fixed-within');

  it('is not checked because no OSV advisories were given, when the engine had none', () => {
    expect(unmatched({ statements, vulnerabilities: [] })).toMatchObject({
      status: 'not-checked',
      note: 'no OSV advisories were given (check.osv) to match SBOMs against',
    });
  });

  it('is not checked because no SBOM was found, when advisories were given but nothing to match', () => {
    expect(unmatched({ statements, vulnerabilities: [], sbomsMatched: [] })).toMatchObject({
      status: 'not-checked',
      note: expect.stringMatching(/^OSV advisories were given, but no SBOM to match/) as unknown,
    });
  });
});

describe('a release row', () => {
  const evidence: CheckEvidence = {
    statements: [logged(release(ACME, IMAGE_A), 7), logged(release(GLOBEX, IMAGE_G), 8)],
  };
  const releasesWith = (loggedTimes?: ReadonlyMap<number, number>) =>
    snapshotFromReport(evidence, checkReport(evidence, { now: NOW }), LOG, {
      ...(loggedTimes === undefined ? {} : { loggedTimes }),
    }).releases;

  it("says when the log integrated it, apart from the vendor's own release time", () => {
    const at = Date.parse('2026-05-03T10:20:30.400Z');
    const [acme, globex] = releasesWith(new Map([[7, at]]));
    expect(acme?.loggedAt).toBe('2026-05-03T10:20:30.400Z');
    expect(acme?.releasedAt).toBe(
      (evidence.statements[0]?.statement.predicate as { releasedAt: string }).releasedAt,
    );
    // The store kept no time for entry 8: none is made up.
    expect(globex).not.toHaveProperty('loggedAt');
  });

  it('has no logged time when the store was not asked', () => {
    expect(releasesWith().every((r) => r.loggedAt === undefined)).toBe(true);
  });
});
