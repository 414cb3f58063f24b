import type { Finding } from '../../src/check/finding.js';
import type { ApiSnapshot, ApiSnapshotSource } from '../../src/server/api/api-snapshot.js';

const DIGEST_A = `sha256:${'a'.repeat(64)}`;
const DIGEST_B = `sha256:${'b'.repeat(64)}`;

/** A hand-built report: three findings over two days, two vendors, two devices. */
export const FINDINGS: readonly Finding[] = [
  {
    id: 'f-undeclared-1',
    kind: 'undeclared-traffic',
    severity: 'high',
    subject: { device: 'cam-1', vendor: 'acme' },
    breaks: { type: 'clause', agreement: 3, clause: 'no-undeclared-destinations' },
    firstSeen: '2026-11-20T10:00:00Z',
    lastSeen: '2026-11-21T10:00:00Z',
    explanation: 'cam-1 sent 12 flows to 203.0.113.9:443, which its MUD file does not allow',
    evidence: [{ type: 'flows', records: [], total: { records: 12, bytes: 4096 } }],
  },
  {
    id: 'f-notlogged-1',
    kind: 'firmware-not-logged',
    severity: 'critical',
    subject: { device: 'sw-1', vendor: 'globex', release: DIGEST_B },
    breaks: { type: 'clause', agreement: 5, clause: 'firmware-logged-before-deployment' },
    firstSeen: '2026-11-21T09:00:00Z',
    lastSeen: '2026-11-21T09:00:00Z',
    explanation: 'sw-1 runs an image no logged release names',
    evidence: [{ type: 'absence', digest: DIGEST_B, checkpoint: 'x', detail: 'no release' }],
  },
  {
    id: 'f-policy-1',
    kind: 'policy-violation',
    severity: 'medium',
    subject: { vendor: 'globex' },
    breaks: { type: 'rule', pack: 'eu-5g-toolbox', rule: 'vendor-share-cap' },
    firstSeen: '2026-11-21T12:00:00Z',
    lastSeen: '2026-11-21T12:00:00Z',
    explanation: 'globex holds 70% of the core domain; the cap is 50%',
    evidence: [{ type: 'policy', pack: 'eu-5g-toolbox', rule: 'vendor-share-cap', items: [] }],
  },
];

export const SNAPSHOT: ApiSnapshot = {
  generatedAt: '2026-11-22T00:00:00Z',
  findings: FINDINGS,
  devices: [
    {
      id: 'cam-1',
      vendor: 'acme',
      model: 'C100',
      release: DIGEST_A,
      firmware: 'logged',
      mud: { allowed: ['updates.acme.example:443'] },
      traffic: [
        { destination: 'updates.acme.example:443', verdict: 'allowed', flows: 40 },
        { destination: '203.0.113.9:443', verdict: 'undeclared', flows: 12 },
      ],
      accessGrants: [{ grantee: 'acme-support', scope: 'ssh', until: '2026-12-01', statement: 7 }],
      timeline: [
        { at: '2026-11-20T10:00:00Z', event: 'undeclared traffic', ref: 'f-undeclared-1' },
      ],
    },
    {
      id: 'sw-1',
      vendor: 'globex',
      release: DIGEST_B,
      firmware: 'not-logged',
      traffic: [],
      accessGrants: [],
      timeline: [],
    },
  ],
  vendors: [
    {
      id: 'acme',
      name: 'Acme Networks',
      agreement: {
        index: 3,
        clauses: [
          { id: 'no-undeclared-destinations', status: 'broken' },
          { id: 'firmware-logged-before-deployment', status: 'kept' },
        ],
      },
      canary: [{ at: '2026-11-01T00:00:00Z', status: 'fresh' }],
      compliance: [{ pack: 'eu-5g-toolbox', status: 'pass' }],
    },
    { id: 'globex', name: 'Globex', canary: [], compliance: [] },
  ],
  releases: [
    {
      digest: DIGEST_A,
      vendor: 'acme',
      version: '1.2.0',
      index: 4,
      releasedAt: '2026-11-01T00:00:00Z',
      loggedAt: '2026-11-02T00:00:00Z',
      sbom: { digest: `sha256:${'5'.repeat(64)}`, format: 'cyclonedx-1.6' },
      mud: { digest: `sha256:${'6'.repeat(64)}` },
      reproducibility: {
        status: 'reproduced',
        required: { evaluators: 1, withinDays: 30 },
        attestations: [
          {
            evaluator: 'Albion Evaluation Lab',
            verdict: 'equivalent',
            attestedAt: '2026-11-10T00:00:00Z',
            statement: 5,
            produced: DIGEST_A,
          },
        ],
      },
    },
  ],
  compliance: [
    {
      pack: 'eu-5g-toolbox',
      domains: [
        {
          domain: 'core',
          cap: 0.5,
          shares: [
            { vendor: 'globex', share: 0.7 },
            { vendor: 'acme', share: 0.3 },
          ],
        },
      ],
      deadlines: [{ date: '2027-06-30', rule: 'vendor-share-cap', what: 'core share under 50%' }],
      plan: [{ by: '2027-03-31', step: 'replace globex core switch', device: 'sw-1' }],
    },
  ],
  log: { origin: 'log.example/test', size: 8, checkpoint: 'log.example/test\n8\n…\n' },
};

/** A snapshot source serving a fixed snapshot, counting how often it is asked. */
export class FixedSnapshotSource implements ApiSnapshotSource {
  asked = 0;
  constructor(readonly fixed: ApiSnapshot = SNAPSHOT) {}
  snapshot(): Promise<ApiSnapshot> {
    this.asked += 1;
    return Promise.resolve(this.fixed);
  }
}
