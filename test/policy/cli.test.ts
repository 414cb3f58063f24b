import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const examples = fileURLToPath(new URL('../../examples/inventory/', import.meta.url));
const uk = join(examples, 'uk-operator.yaml');
const us = join(examples, 'us-contractor.yaml');
const cwd = mkdtempSync(join(tmpdir(), 'nospy-policy-cli-'));

describe('nospy policy check', () => {
  it('prints one JSON document and exits 1 for the UK operator over the traffic cap', async () => {
    const result = await runCli(
      [
        'policy',
        'check',
        '--pack',
        'uk-tsa-huawei-dvd',
        '--inventory',
        uk,
        '--date',
        '2024-03-01',
        '--json',
      ],
      { cwd },
    );
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['findings', 'measurements', 'exempt', 'pending']);
    expect(doc).toEqual({
      findings: [
        { rule: 'uk-policy-2020-no-5g-install', status: 'policy', items: ['ran-s01-spare'] },
        { rule: 'uk-dvd-no-5g-install', status: 'violation', items: ['ran-s01-spare'] },
        {
          rule: 'uk-dvd-ran-cap',
          status: 'violation',
          items: ['ran-s01', 'ran-s01-spare', 'ran-s02', 'ran-s03'],
        },
      ],
      measurements: [
        {
          rule: 'uk-dvd-ran-cap',
          measures: {
            sites: { numerator: 3, denominator: 10, share: 0.3, breach: false },
            traffic: { numerator: 470, denominator: 1170, share: 0.401709, breach: true },
          },
        },
        {
          rule: 'uk-dvd-fibre-cap',
          measures: { premises: { numerator: 350, denominator: 1000, share: 0.35, breach: false } },
        },
      ],
      exempt: [],
      pending: [],
    });
  });

  it('prints a readable report naming the vendor names that matched', async () => {
    const result = await runCli(
      ['policy', 'check', '--pack', 'us-ndaa-889', '--inventory', us, '--date', '2025-06-01'],
      { cwd },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('VIOLATION us-889-b');
    expect(result.stdout).toContain(
      'vendor "杭州海康威视数字技术股份有限公司" → hikvision via alias name',
    );
    expect(result.stdout).toContain('REVIEW us-889-b');
    expect(result.stdout).toContain(
      'exempt from us-889-b under no-user-data-visibility: zte-olt-1',
    );
  });

  it('accepts the pack flag repeated, and exits 0 when nothing is a violation', async () => {
    const result = await runCli(
      [
        'policy',
        'check',
        '--pack',
        'de-5g-2024',
        '--pack',
        'ca-2022',
        '--inventory',
        uk,
        '--date',
        '2022-01-01',
        '--json',
      ],
      { cwd },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      findings: [],
      measurements: [],
      exempt: [],
      pending: [],
    });
  });

  it('rejects a date that is not a date with exit 2, naming the flag', async () => {
    const result = await runCli(
      ['policy', 'check', '--pack', 'ca-2022', '--inventory', uk, '--date', '2024-02-30'],
      { cwd },
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      "--date '2024-02-30' is not a date (YYYY-MM-DD) [POLICY_DATE_INVALID]",
    );
  });

  it('rejects a bad inventory with exit 2, naming file, line and field', async () => {
    const bad = join(cwd, 'bad.yaml');
    writeFileSync(bad, 'operator: {id: op}\nitems:\n  - {id: a, vendor: Huawei, domain: radio}\n');
    const result = await runCli(
      ['policy', 'check', '--pack', 'ca-2022', '--inventory', bad, '--date', '2024-01-01'],
      { cwd },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bad}:3:37: item 'a' items[0].domain: must be one of`);
  });

  it('rejects an unknown pack with exit 2', async () => {
    const result = await runCli(
      ['policy', 'check', '--pack', 'xx-none', '--inventory', uk, '--date', '2024-01-01'],
      { cwd },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no shipped pack 'xx-none'");
  });
});

describe('nospy policy check --assume', () => {
  const args = ['policy', 'check', '--pack', 'eu-csa-2026-proposal', '--inventory', uk];

  it("without the parameter, lists the proposal's rule as not yet applicable and exits 0", async () => {
    const result = await runCli([...args, '--date', '2031-01-01'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('[PROPOSED LAW — not in force; findings are not violations]');
    expect(result.stdout).toContain('NOT YET APPLICABLE eu-csa2-mobile-phaseout (proposed law)');
    expect(result.stdout).toContain('--assume list_published=YYYY-MM-DD');
  });

  it('with it, reports what the proposal would require as proposed, still exiting 0', async () => {
    const result = await runCli(
      [...args, '--date', '2031-01-01', '--assume', 'list_published=2027-03-01', '--json'],
      { cwd },
    );
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      findings: { rule: string; status: string }[];
      pending: unknown[];
      assumptions: unknown;
    };
    expect(doc.findings.map((f) => [f.rule, f.status])).toEqual([
      ['eu-csa2-mobile-phaseout', 'proposed'],
    ]);
    expect(doc.pending).toEqual([]);
    expect(doc.assumptions).toEqual({ list_published: '2027-03-01' });
  });

  it('rejects an undeclared parameter or a bad day with exit 2', async () => {
    const unknown = await runCli(
      [...args, '--date', '2031-01-01', '--assume', 'listed=2027-03-01'],
      {
        cwd,
      },
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no pack given declares a parameter 'listed'");
    const bad = await runCli(
      [...args, '--date', '2031-01-01', '--assume', 'list_published=2027-02-30'],
      {
        cwd,
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "--assume 'list_published=2027-02-30' is not <parameter>=YYYY-MM-DD (e.g. --assume list_published=2027-03-01) [POLICY_ASSUMPTION_INVALID]",
    );
  });
});

describe('nospy policy plan', () => {
  it('lists removals per vendor and deadline, sorted by date', async () => {
    const result = await runCli(
      ['policy', 'plan', '--pack', 'all', '--inventory', uk, '--from', '2024-03-01', '--json'],
      { cwd },
    );
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      from: string;
      removals: { by: string; rule: string; vendor: string }[];
      caps: { rule: string }[];
    };
    expect(plan.from).toBe('2024-03-01');
    expect(plan.removals.map((r) => r.by)).toEqual([...plan.removals.map((r) => r.by)].sort());
    expect(plan.removals.map((r) => r.rule)).toContain('uk-dvd-5g-removal');
    expect(plan.caps.map((c) => c.rule)).toEqual(['uk-dvd-ran-cap']);
  });
});

describe('nospy policy packs', () => {
  it('lists the fourteen packs with titles, jurisdictions, status, parameters and sources', async () => {
    const result = await runCli(['policy', 'packs', '--json'], { cwd });
    expect(result.code).toBe(0);
    const packs = JSON.parse(result.stdout) as {
      id: string;
      jurisdiction: string;
      status: string;
      parameters: Record<string, string>;
      sources: string[];
    }[];
    expect(packs.map((p) => [p.id, p.jurisdiction, p.status])).toEqual([
      ['au-5g-2018', 'AU', 'in_force'],
      ['ca-2022', 'CA', 'in_force'],
      ['de-5g-2024', 'DE', 'in_force'],
      ['eu-5g-toolbox-hrv', 'EU', 'in_force'],
      ['eu-csa-2026-proposal', 'EU', 'proposed'],
      ['fr-l34-11-2019', 'FR', 'in_force'],
      ['in-trusted-sources-2021', 'IN', 'in_force'],
      ['it-golden-power-5g', 'IT', 'in_force'],
      ['jp-procurement-2018', 'JP', 'in_force'],
      ['pl-ksc-2026', 'PL', 'in_force'],
      ['se-pts-2020', 'SE', 'in_force'],
      ['uk-tsa-huawei-dvd', 'GB', 'in_force'],
      ['us-fcc-covered-list', 'US', 'in_force'],
      ['us-ndaa-889', 'US-federal', 'in_force'],
    ]);
    expect(Object.keys(packs.find((p) => p.id === 'pl-ksc-2026')?.parameters ?? {})).toEqual([
      'hrv_designated',
    ]);
    for (const pack of packs) expect(pack.sources.length).toBeGreaterThan(0);
  });
});

describe('nospy policy lint', () => {
  it('passes a shipped pack', async () => {
    const result = await runCli(['policy', 'lint', 'us-ndaa-889'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('us-ndaa-889: ok\n');
  });

  it('exits 1 with file:line:column for a self-contradictory pack', async () => {
    const path = join(cwd, 'bad-pack.yaml');
    writeFileSync(
      path,
      [
        'schema_version: 1',
        'id: bad',
        'title: Bad',
        'jurisdiction: XX',
        'binding: none',
        "sources: {s: {url: 'https://example.org', says: x}}",
        'entities: [{ref: huawei}]',
        'rules:',
        '  - {id: r1, kind: remove, effective: 2024-01-01, by: 2023-01-01, status: violation, basis: b, source: s}',
        '',
      ].join('\n'),
    );
    const result = await runCli(['policy', 'lint', path], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `${path}:9:55: rules[0].by: deadline 2023-01-01 is before the rule's effective date 2024-01-01\n`,
    );
  });
});

describe('nospy policy plan, readable', () => {
  it('interleaves removals and caps by deadline', async () => {
    const result = await runCli(
      ['policy', 'plan', '--pack', 'uk-tsa-huawei-dvd', '--inventory', uk, '--from', '2023-03-01'],
      { cwd },
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('Remediation plan from 2023-03-01');
    // The RAN cap's day is a range (28-31 July 2023): the plan gives the strict end and the other.
    expect(lines.slice(1).map((l) => /by (\d{4}-\d{2}-\d{2})/.exec(l)?.[1])).toEqual([
      '2023-07-28',
      '2027-12-31',
    ]);
    expect(lines[1]).toContain('by 2023-07-28 (or as late as 2023-07-31)');
    expect(lines[1]).toContain('cap uk-dvd-ran-cap [violation]: reduce by 60.5 traffic');
  });
});

describe('nospy policy shares', () => {
  it('prints one row per vendor identity, aliases merged', async () => {
    const result = await runCli(
      ['policy', 'shares', '--inventory', uk, '--date', '2024-03-01', '--json'],
      { cwd },
    );
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as {
      domain: string;
      technology: string;
      vendor: string;
      items: number;
      trafficShare: number;
    }[];
    const ran5g = rows.filter((r) => r.domain === 'ran' && r.technology === '5G');
    expect(ran5g.map((r) => [r.vendor, r.items, r.trafficShare])).toEqual([
      ['huawei', 4, 0.401709],
      ['ericsson', 3, 0.25641],
      ['nokia', 2, 0.17094],
      ['samsung', 2, 0.17094],
    ]);
  });
});
