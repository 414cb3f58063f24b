import { describe, expect, it } from 'vitest';
import type { CheckEvidence, LoggedStatement } from '../evidence.js';
import { checkReport } from '../report.js';
import {
  ACME,
  agreement,
  ALL_CLAUSES,
  deployment,
  IMAGE_A,
  logged,
  NOW,
  rebuild,
  release,
} from '../test-support.js';

const CLAUSES = [
  ...ALL_CLAUSES,
  { clause: 'release-reproduced', evaluators: 2, within_days: 30 },
] as const;
const KINDS = new Set(['release-not-reproduced', 'release-not-equivalent']);

const findingsOf = (statements: LoggedStatement[], extra: Partial<CheckEvidence> = {}, now = NOW) =>
  checkReport({ statements, ...extra }, { now }).findings.filter((f) => KINDS.has(f.kind));

/** The agreement (0), Acme's release of IMAGE_A (1, released 2026-01-10), then `more`. */
const world = (...more: LoggedStatement[]): LoggedStatement[] => [
  logged(agreement(ACME, [...CLAUSES]), 0),
  logged(release(ACME, IMAGE_A), 1),
  ...more,
];

describe('release-reproduced: counting evaluators', () => {
  it('is kept by two distinct evaluators attesting equivalent within the window', () => {
    expect(
      findingsOf(
        world(
          logged(rebuild('Lab One', 1, IMAGE_A, 'equivalent'), 2),
          logged(rebuild('Lab Two', 1, IMAGE_A, 'equivalent'), 3),
        ),
      ),
    ).toEqual([]);
  });

  it('counts two attestations by one evaluator once: release-not-reproduced (high)', () => {
    const found = findingsOf(
      world(
        logged(rebuild('Lab One', 1, IMAGE_A, 'equivalent', '2026-01-20T00:00:00Z'), 2),
        logged(rebuild('Lab One', 1, IMAGE_A, 'equivalent', '2026-01-21T00:00:00Z'), 3),
      ),
    );
    expect(found.map((f) => [f.kind, f.severity])).toEqual([['release-not-reproduced', 'high']]);
    expect(found[0]?.explanation).toContain(
      'is attested equivalent by 1 (Lab One) of the 2 distinct evaluator(s)',
    );
    expect(found[0]?.breaks).toEqual({
      type: 'clause',
      agreement: 0,
      clause: 'release-reproduced',
    });
    expect(found[0]?.subject).toEqual({ vendor: ACME, release: `sha256:${IMAGE_A}` });
    expect(found[0]?.evidence.map((e) => (e.type === 'statement' ? e.index : e.type))).toEqual([
      1, 2, 3, 0,
    ]);
  });

  it('does not count an attestation naming a log index that is not a release of the image', () => {
    const found = findingsOf(
      world(
        logged(rebuild('Lab One', 1, IMAGE_A, 'equivalent'), 2),
        logged(rebuild('Lab Two', 0, IMAGE_A, 'equivalent'), 3),
      ),
    );
    expect(found.map((f) => f.kind)).toEqual(['release-not-reproduced']);
  });

  it('does not count an attestation dated after the evaluation time', () => {
    const found = findingsOf(
      world(
        logged(rebuild('Lab One', 1, IMAGE_A, 'equivalent'), 2),
        logged(rebuild('Lab Two', 1, IMAGE_A, 'equivalent', '2026-07-01T00:00:00Z'), 3),
      ),
    );
    expect(found.map((f) => f.kind)).toEqual(['release-not-reproduced']);
  });
});

describe('release-reproduced: the window', () => {
  it('reports nothing while the window is open, and from its end on when attestations lack', () => {
    expect(findingsOf(world(), {}, Date.parse('2026-02-09T00:00:00Z'))).toEqual([]);
    const [late] = findingsOf(world(), {}, Date.parse('2026-02-10T00:00:00Z'));
    expect(late?.kind).toBe('release-not-reproduced');
    expect(late?.firstSeen).toBe('2026-02-09T00:00:00.000Z');
    expect(late?.explanation).toContain('is attested equivalent by none of the 2');
  });

  it('opens the window when a device was seen running the release before its release date', () => {
    const early = logged(deployment('acme-1', ACME, IMAGE_A, '2026-01-02T00:00:00Z'), 2);
    const [found] = findingsOf(world(early), {}, Date.parse('2026-02-05T00:00:00Z'));
    expect(found?.firstSeen).toBe('2026-02-01T00:00:00.000Z');
  });

  it('takes attestations that came after the window (the finding closes)', () => {
    expect(
      findingsOf(
        world(
          logged(rebuild('Lab One', 1, IMAGE_A, 'equivalent', '2026-04-01T00:00:00Z'), 2),
          logged(rebuild('Lab Two', 1, IMAGE_A, 'equivalent', '2026-05-01T00:00:00Z'), 3),
        ),
      ),
    ).toEqual([]);
  });
});

describe('release-reproduced: a different verdict', () => {
  const statements = world(
    logged(rebuild('Lab One', 1, IMAGE_A, 'equivalent'), 2),
    logged(rebuild('Lab Two', 1, IMAGE_A, 'equivalent'), 3),
    logged(rebuild('Lab Three', 1, IMAGE_A, 'different', '2026-01-25T00:00:00Z'), 4),
    logged(deployment('acme-1', ACME, IMAGE_A), 5),
  );

  it('outranks any number of equivalent ones: release-not-equivalent (critical), nothing else', () => {
    const found = findingsOf(statements);
    expect(found.map((f) => [f.kind, f.severity])).toEqual([
      ['release-not-equivalent', 'critical'],
    ]);
    expect(found[0]?.firstSeen).toBe('2026-01-25T00:00:00.000Z');
    expect(found[0]?.explanation).toMatch(
      /^Lab Three rebuilt Acme Networks release 1\.0 .* not equivalent/,
    );
  });

  it('names the device running it, with its deployment statement as evidence', () => {
    const [found] = findingsOf(statements);
    expect(found?.explanation).toContain('Running on acme-1.');
    expect(found?.evidence.map((e) => (e.type === 'statement' ? e.index : e.type))).toEqual([
      1,
      4,
      'diff',
      0,
      5,
    ]);
  });

  it('says when the diff report could not be read', () => {
    const [found] = findingsOf(statements);
    expect(found?.evidence.find((e) => e.type === 'diff')).toEqual({
      type: 'diff',
      report: `sha256:${'d'.repeat(64)}`,
      statement: 4,
      available: false,
      detail: `the diff report sha256:${'d'.repeat(64)} is not in the blob store the check read; the differences are not summarised`,
    });
  });

  it('summarises the diff report: which files differ and how, changes before metadata', () => {
    const side = { sha256: 'a'.repeat(64), size: 10 };
    const [found] = findingsOf(statements, {
      rebuildDiffs: [
        {
          sha256: 'd'.repeat(64),
          report: {
            equivalent: false,
            files: [
              {
                path: '/etc/version',
                change: 'metadata',
                classification: 'timestamps',
                a: side,
                b: side,
              },
              {
                path: '/etc/init.d/S99support',
                change: 'added',
                classification: null,
                a: null,
                b: side,
              },
              {
                path: '/usr/sbin/dropbear',
                change: 'content',
                classification: 'content',
                a: side,
                b: side,
              },
            ],
            indicators: {
              onlyInA: [],
              onlyInB: [
                {
                  kind: 'listening_service',
                  rule: 'FW-SVC-001',
                  path: '/etc/init.d/S99support',
                  detail: 'telnetd on tcp/2323',
                  evidence: 'x',
                },
              ],
            },
          },
        },
      ],
    });
    expect(found?.explanation).toContain(
      '(added /etc/init.d/S99support, content /usr/sbin/dropbear)',
    );
    expect(found?.evidence.find((e) => e.type === 'diff')).toEqual({
      type: 'diff',
      report: `sha256:${'d'.repeat(64)}`,
      statement: 4,
      available: true,
      equivalent: false,
      counts: { added: 1, removed: 0, content: 1, metadata: 1 },
      files: [
        { path: '/etc/init.d/S99support', change: 'added', classification: null },
        { path: '/usr/sbin/dropbear', change: 'content', classification: 'content' },
        { path: '/etc/version', change: 'metadata', classification: 'timestamps' },
      ],
      omitted: 0,
      indicators: {
        onlyInA: [],
        onlyInB: [
          {
            kind: 'listening_service',
            rule: 'FW-SVC-001',
            path: '/etc/init.d/S99support',
            detail: 'telnetd on tcp/2323',
          },
        ],
      },
      detail:
        '1 added, 0 removed, 1 changed in content; 1 in metadata only (timestamps); 1 back-door indicator(s) only in the released image',
    });
  });
});

describe('release-reproduced: scope', () => {
  it('asks nothing of a vendor whose agreement does not carry the clause', () => {
    const statements = [
      logged(agreement(ACME, [...ALL_CLAUSES]), 0),
      logged(release(ACME, IMAGE_A), 1),
    ];
    expect(findingsOf(statements)).toEqual([]);
  });

  it('names devices the inventory says run the release', () => {
    const [found] = findingsOf(world(), {
      inventory: [{ id: 'acme-9', vendor: ACME, model: 'R1', firmware: { sha256: IMAGE_A } }],
    });
    expect(found?.explanation).toContain('Running on acme-9.');
  });
});
