import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError } from './errors.js';
import { lintPack, loadPack, loadRegistry, packFile, shippedPackIds } from './load.js';

const registry = loadRegistry();
const dir = mkdtempSync(join(tmpdir(), 'nospy-pack-'));
let counter = 0;

const HEAD = `schema_version: 1
id: test-pack
title: A test pack
jurisdiction: XX
binding: none
sources:
  s1: {url: 'https://example.org/rule', says: the rule}
entities:
  - {ref: huawei, listed_on: 2021-03-12}
  - {ref: zte}
`;

function pack(body: string): string {
  counter += 1;
  const path = join(dir, `pack-${counter}.yaml`);
  writeFileSync(path, HEAD + body);
  return path;
}

function problems(path: string): string[] {
  return lintPack(path, registry).problems.map(
    (p) => `${p.where.slice(path.length + 1)} ${p.message}`,
  );
}

describe('the shipped packs', () => {
  it('are the fourteen regimes', () => {
    expect(shippedPackIds()).toEqual([
      'au-5g-2018',
      'ca-2022',
      'de-5g-2024',
      'eu-5g-toolbox-hrv',
      'eu-csa-2026-proposal',
      'fr-l34-11-2019',
      'in-trusted-sources-2021',
      'it-golden-power-5g',
      'jp-procurement-2018',
      'pl-ksc-2026',
      'se-pts-2020',
      'uk-tsa-huawei-dvd',
      'us-fcc-covered-list',
      'us-ndaa-889',
    ]);
  });

  it.each(['eu-csa-2026-proposal', 'pl-ksc-2026'])('%s gives every parameter a source', (id) => {
    const pack = loadPack(id, registry);
    expect(Object.keys(pack.parameters).length).toBeGreaterThan(0);
    for (const parameter of Object.values(pack.parameters)) {
      expect(parameter.sources.length).toBeGreaterThan(0);
      for (const source of parameter.sources)
        expect(pack.sources[source]?.url).toMatch(/^https?:\/\//);
    }
  });

  it('ships the Cybersecurity Act revision as a proposal whose rules are all proposed', () => {
    const pack = loadPack('eu-csa-2026-proposal', registry);
    expect(pack.status).toBe('proposed');
    expect(pack.rules.map((r) => r.status)).toEqual(['proposed']);
  });

  it.each(shippedPackIds())('%s lints clean and cites a source for every rule', (id) => {
    const { pack, problems: found } = lintPack(id, registry);
    expect(found).toEqual([]);
    for (const rule of pack?.rules ?? []) {
      expect(rule.sources.length).toBeGreaterThan(0);
      // One source (behring.fr) is only served over http.
      for (const source of rule.sources) expect(pack?.sources[source]?.url).toMatch(/^https?:\/\//);
    }
  });

  it('keeps the reference rule ids', () => {
    const ids = shippedPackIds().flatMap((id) => loadPack(id, registry).rules.map((r) => r.id));
    expect(ids).toEqual(
      expect.arrayContaining([
        'us-889-a',
        'us-889-b',
        'fcc-54-9-huawei-zte',
        'fcc-54-10',
        'fcc-reimbursement-removal',
        'uk-dvd-ran-cap',
        'uk-dvd-fibre-cap',
        'uk-dvd-core',
        'uk-dvd-5g-removal',
        'eu-sm03-key-assets',
        'eu-sm05-multivendor',
        'de-core-2026',
        'de-mgmt-2029',
        'ca-no-new-procurement',
        'ca-5g-removal',
        'ca-4g-removal',
      ]),
    );
  });

  it('rejects an unknown pack id, naming the shipped ones', () => {
    expect(() => packFile('xx-nothing')).toThrow(
      /no shipped pack 'xx-nothing' \(shipped: au-5g-2018, ca-2022, /,
    );
  });
});

describe('the pack linter', () => {
  it('accepts a well-formed pack', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, domains: [core], by: 2025-12-31, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([]);
  });

  it('rejects unknown vocabulary at the word', () => {
    const path = pack(`rules:
  - {id: r1, kind: banish, by: 2025-12-31, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([expect.stringMatching(/^12:20 rules\[0\]\.kind: /)]);
  });

  it('rejects an unknown status and an unknown field', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, by: 2025-12-31, status: forbidden, basis: law, source: s1, colour: red}
`);
    expect(problems(path)).toEqual([
      expect.stringMatching(
        /^12:52 rules\[0\]\.status: must be one of "violation", "policy", "advisory", "review"/,
      ),
      "12:87 rules[0].colour: unknown field 'colour'",
    ]);
  });

  it('rejects a deadline before its effective date', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, effective: 2024-01-01, by: 2023-12-31, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      "12:55 rules[0].by: deadline 2023-12-31 is before the rule's effective date 2024-01-01",
    ]);
  });

  it('rejects a cap share outside 0..1 and a percentage over 100', () => {
    const path = pack(`rules:
  - {id: c1, kind: cap, domain: ran, max_share: 1.5, measures: [sites], by: 2023-07-31, status: violation, basis: law, source: s1}
  - {id: c2, kind: cap, domain: access, max_percent: 135, measures: [premises], by: 2023-07-31, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      '12:49 rules[0].max_share: max_share 1.5 is outside 0..1',
      '13:54 rules[1].max_percent: max_percent 135 is outside 0..100',
    ]);
  });

  it('rejects duplicate rule ids at the second one', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, domains: [core], by: 2025-12-31, status: violation, basis: law, source: s1}
  - {id: r1, kind: remove, domains: [ran], by: 2025-12-31, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual(["13:10 rules[1].id: rule id 'r1' is used twice"]);
  });

  it('rejects an exemption naming no rule, or a rule the pack lacks', () => {
    const path = pack(`exemptions:
  - {id: e1, rules: [], where: {item.kind: service}}
  - {id: e2, rules: [r9], where: {item.kind: service}}
rules:
  - {id: r1, kind: remove, by: 2025-12-31, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      '12:21 exemptions[0].rules: an exemption must name the rules it applies to',
    ]);
    const fixed = pack(`exemptions:
  - {id: e2, rules: [r9], where: {item.kind: service}}
rules:
  - {id: r1, kind: remove, by: 2025-12-31, status: violation, basis: law, source: s1}
`);
    expect(problems(fixed)).toEqual([
      "12:22 exemptions[0].rules[0]: exemption names rule 'r9', which the pack does not have",
    ]);
  });

  it('rejects overlapping rules that contradict each other', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, domains: [core], technology: [5G], by: 2025-12-31, status: violation, basis: law, source: s1}
  - {id: r2, kind: remove, technology: [5G], domains: [core], by: 2026-12-31, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      "13:10 rules[1].id: rule 'r2' contradicts rule 'r1': same kind, status and scope, but by 2026-12-31, effective - vs by 2025-12-31, effective -",
    ]);
  });

  it('accepts layered rules of different status over one scope (a policy, then a law)', () => {
    const path = pack(`rules:
  - {id: p1, kind: no_new_install, technology: [5G], after: 2021-09-30, status: policy, basis: policy, source: s1}
  - {id: l1, kind: no_new_install, technology: [5G], from: 2022-10-13, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([]);
  });

  it('rejects references to unknown entities, sources and where fields', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, entities: [hytera], where: {item.colour: red}, by: 2025-12-31, status: violation, basis: law, source: s9}
`);
    expect(problems(path)).toEqual([
      expect.stringMatching(
        /^12:\d+ rules\[0\]\.source: source 's9' is not one of the pack's sources/,
      ),
      "12:39 rules[0].entities[0]: rule names entity 'hytera', which is not one of the pack's entities",
      expect.stringMatching(
        /^12:\d+ rules\[0\]\.where\.item\.colour: unknown field 'item\.colour'/,
      ),
    ]);
  });

  it('rejects a from_offset when an entity has no listing date', () => {
    const path = pack(`rules:
  - {id: r1, kind: no_event, event_type: usf_spend, from_offset: {entity_field: listed_on, days: 60}, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      expect.stringMatching(/from_offset counts from listed_on, and entity 'zte' has none/),
    ]);
  });

  it('rejects the retired by_offset, saying to declare a parameter instead', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, by_offset: {from: list, months: 36}, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      expect.stringMatching(
        /^12:39 rules\[0\]\.by_offset: by_offset is no longer accepted: declare .* parameters .* by: list_published \+ 36 months/,
      ),
      expect.stringMatching(/a remove rule needs by, effective or by_operator_field/),
    ]);
  });

  it('rejects the retired by_day_unverified flag, saying how to state the range', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, by: 2023-07-31, by_day_unverified: true, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      expect.stringMatching(
        /^12:63 rules\[0\]\.by_day_unverified: by_day_unverified is no longer accepted: state the range .* by: 2023-07-31 and by_earliest: 2023-07-28\), or by_month: YYYY-MM/,
      ),
    ]);
  });

  it('rejects from_day_unverified and after_day_unverified the same way', () => {
    const path = pack(`rules:
  - {id: r1, kind: no_new_install, from: 2022-09-01, from_day_unverified: true, status: policy, basis: law, source: s1}
  - {id: r2, kind: no_new_procurement, after: 2022-09-01, after_day_unverified: true, status: policy, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      expect.stringMatching(/rules\[0\]\.from_day_unverified: .*from_earliest/),
      expect.stringMatching(/rules\[1\]\.after_day_unverified: .*after_earliest/),
    ]);
  });

  it('asks for the reason instead of unverified: true', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, by: 2025-12-31, unverified: true, status: violation, basis: law, source: s1}
  - {id: r2, kind: remove, by: 2026-12-31, unverified: draft text only, status: policy, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      expect.stringMatching(/rules\[0\]\.unverified: .*say why: unverified: '<what was not seen>'/),
    ]);
  });

  it('rejects a range whose earliest end is after its latest, or a month beside a day', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, by: 2023-07-28, by_earliest: 2023-07-31, status: violation, basis: law, source: s1}
  - {id: r2, kind: remove, by: 2023-07-31, by_month: 2023-07, status: policy, basis: law, source: s1}
  - {id: r3, kind: remove, by_earliest: 2023-07-28, status: advisory, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      expect.stringMatching(/rules\[0\]\.by_earliest: by_earliest is after by/),
      expect.stringMatching(/rules\[1\]\.by_month: give by_month alone/),
      expect.stringMatching(/rules\[2\]: a remove rule needs by, effective or by_operator_field/),
      expect.stringMatching(/rules\[2\]\.by_earliest: by_earliest is the other end of a range/),
    ]);
  });

  it('rejects a date counted from a parameter the pack does not declare', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, by: list_published + 36 months, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      expect.stringMatching(
        /a date of rule 'r1' counts from 'list_published', which the pack does not declare/,
      ),
    ]);
  });

  it('rejects a date that is neither a day nor a parameter expression', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, by: next spring, status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      expect.stringMatching(
        /'next spring' is neither a date \(YYYY-MM-DD\) nor '<parameter> \+ N days\|months\|years'/,
      ),
    ]);
  });

  it('keeps a proposal from stating a violation of law in force', () => {
    const path = join(dir, 'proposal.yaml');
    writeFileSync(
      path,
      HEAD.replace('binding: none', 'binding: none\nstatus: proposed') +
        `parameters:
  list_published: {type: date, says: the list's publication, source: s1}
rules:
  - {id: r1, kind: remove, by: list_published + 36 months, status: violation, basis: proposal, source: s1}
  - {id: r2, kind: remove, domains: [core], by: list_published + 36 months, status: proposed, basis: proposal, source: s1}
`,
    );
    expect(problems(path)).toEqual([
      expect.stringMatching(
        /rules\[0\]\.status: the pack is a proposal .* their status is 'proposed', not 'violation'/,
      ),
    ]);
  });

  it('rejects an all_vendors authorisation rule that also names entities', () => {
    const path = pack(`rules:
  - {id: r1, kind: authorisation, all_vendors: true, entities: [huawei], schemes: [x-auth], status: violation, basis: law, source: s1}
`);
    expect(problems(path)).toEqual([
      expect.stringMatching(/rules\[0\]\.entities: an all_vendors rule covers every vendor/),
    ]);
  });

  it('throws POLICY_PACK_INVALID with every problem when loading a bad pack', () => {
    const path = pack(`rules:
  - {id: r1, kind: remove, effective: 2024-01-01, by: 2023-12-31, status: violation, basis: law, source: s1}
`);
    let caught: unknown;
    try {
      loadPack(path, registry);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PolicyError);
    expect((caught as PolicyError).code).toBe('POLICY_PACK_INVALID');
    expect((caught as PolicyError).message).toBe(
      `${path}:12:55: rules[0].by: deadline 2023-12-31 is before the rule's effective date 2024-01-01`,
    );
  });

  it('reports a YAML syntax error with its position', () => {
    const path = pack('rules: [\n');
    expect(() => lintPack(path, registry)).toThrow(new RegExp(`^${path}:\\d+:\\d+: `));
  });
});
