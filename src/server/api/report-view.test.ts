import { describe, expect, it } from 'vitest';
import { checkReport } from '../../check/report.js';
import type { CheckEvidence } from '../../check/evidence.js';
import type { Finding } from '../../check/finding.js';
import { ACME, GLOBEX, IMAGE_A, IMAGE_G, NOW, logged, release } from '../../check/test-support.js';
import { snapshotFromReport } from './report-view.js';

const LOG = { origin: 'log.example/test', size: 1, checkpoint: 'c' };

describe('snapshotFromReport', () => {
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

  it('lists each logged release image with its vendor, version and log index', () => {
    expect(snapshot.releases).toEqual([
      {
        digest: `sha256:${IMAGE_A}`,
        vendor: ACME,
        version: '1.0',
        index: 0,
        loggedAt: '2026-01-10',
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
    const onDevices = report.findings.filter((f) => f.subject.device !== undefined);
    expect(onDevices.length).toBeGreaterThan(0);
    const timelines = snapshot.devices.flatMap((d) =>
      d.timeline.map((e) => `${d.id} ${e.ref ?? ''}`),
    );
    expect(timelines.sort()).toEqual(
      onDevices.map((f) => `${f.subject.device ?? ''} ${f.id}`).sort(),
    );
    expect(snapshot.vendors.map((v) => v.id)).toEqual([ACME, GLOBEX].sort());
  });
});
