import { describe, expect, it } from 'vitest';
import { groupFindings, type VendorGroup } from './group.js';
import {
  ALL,
  backdoor,
  canary,
  DEVICES,
  GLOBEX,
  notLogged,
  section889,
  splitView,
  traffic,
} from './test-findings.js';

/** Each group as `vendor: place → finding ids`, the order kept. */
function outline(groups: readonly VendorGroup[]): string[] {
  return groups.flatMap((g) =>
    g.places.map(
      (p) =>
        `${g.vendor ?? 'estate'}: ${JSON.stringify(p.place)} → ${p.findings.map((f) => f.id.split(':')[0]).join(' ')}`,
    ),
  );
}

describe('grouping findings by vendor and device', () => {
  const groups = groupFindings(ALL, DEVICES);

  it('puts the vendors with the worst findings first, the estate before a vendor of the same severity', () => {
    expect(groups.map((g) => g.vendor ?? 'estate')).toEqual([
      'estate',
      GLOBEX,
      'Hangzhou Hikvision',
      'Huawei Technologies Co Ltd',
    ]);
  });

  it("lists a vendor's own findings first, then its releases, then its devices", () => {
    expect(outline(groups.filter((g) => g.vendor === GLOBEX))).toEqual([
      `${GLOBEX}: {"type":"vendor-wide"} → canary-lapsed`,
      `${GLOBEX}: {"type":"release","digest":"${backdoor.subject.release ?? ''}","runBy":["globex-r1"]} → firmware-backdoor-indicator`,
      `${GLOBEX}: {"type":"devices","ids":["globex-r1"]} → undeclared-traffic`,
      `${GLOBEX}: {"type":"devices","ids":["globex-r2"]} → firmware-not-logged`,
    ]);
  });

  it('places a policy violation under the items it names, each under its own vendor', () => {
    expect(outline(groups.filter((g) => g.vendor !== GLOBEX && g.vendor !== undefined))).toEqual([
      'Hangzhou Hikvision: {"type":"devices","ids":["cam-1"]} → policy-violation',
      'Huawei Technologies Co Ltd: {"type":"devices","ids":["ran-s2","ran-s10"]} → policy-violation',
    ]);
  });

  it("puts a finding about the log itself under the estate, by the log's origin", () => {
    expect(outline(groups.filter((g) => g.vendor === undefined))).toEqual([
      'estate: {"type":"log","origin":"log.example/nospy"} → log-inconsistency',
    ]);
  });

  it('counts each finding once per vendor', () => {
    expect(groups.map((g) => g.count)).toEqual([1, 4, 1, 1]);
  });

  describe('without the inventory', () => {
    it("keeps a policy's items together under the vendors the finding names", () => {
      expect(outline(groupFindings([section889]))).toEqual([
        'hikvision, huawei: {"type":"devices","ids":["cam-1","ran-s2","ran-s10"]} → policy-violation',
      ]);
    });

    it('names no device running a release', () => {
      expect(groupFindings([backdoor])[0]?.places[0]?.place).toEqual({
        type: 'release',
        digest: backdoor.subject.release,
        runBy: [],
      });
    });
  });

  describe('when vendor names differ only in spelling', () => {
    it('makes them one vendor, named as first seen', () => {
      const spelt = { ...canary, subject: { vendor: 'GLOBEX TELECOM SYSTEMS, INC.' } };
      const groups = groupFindings([traffic, spelt]);
      expect(groups.map((g) => [g.vendor, g.count])).toEqual([[GLOBEX, 2]]);
    });
  });

  it('keeps the report order inside a place', () => {
    const twice = { ...notLogged, id: 'firmware-not-logged:0000', severity: 'high' as const };
    const [group] = groupFindings([notLogged, twice]);
    expect(group?.places[0]?.findings.map((f) => f.id)).toEqual([notLogged.id, twice.id]);
  });

  it('gives nothing for no findings', () => {
    expect(groupFindings([], DEVICES)).toEqual([]);
  });

  it('puts a finding about nothing narrower under the estate', () => {
    const bare = {
      ...splitView,
      breaks: { type: 'rule', pack: 'p', rule: 'r' } as const,
      subject: { log: 'p' },
    };
    expect(outline(groupFindings([bare]))).toEqual([
      'estate: {"type":"estate-wide"} → log-inconsistency',
    ]);
  });
});
