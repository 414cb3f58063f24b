import { describe, expect, it } from 'vitest';
import { checkBehaviour } from '../../src/mud/behaviour.js';
import { realisticMudSet } from '../../bench/mud/bench-set.js';

describe('the benchmark MUD set', () => {
  it('compiles every RFC-layout fixture and generates records that mix allowed traffic and violations', () => {
    const set = realisticMudSet({ records: 2000 });
    expect(set.files.map((f) => f.name)).toContain('unsw-iot-mud-profiles/tplinkcamera.json');
    expect(set.devices).toHaveLength(set.files.length);
    const report = checkBehaviour({ devices: set.devices }, set.records);
    expect(report.records).toBe(2000);
    expect(report.unattributed).toBe(0);
    expect(report.allowedLegs / report.legs).toBeGreaterThan(0.3);
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it('puts the devices on the addresses it is given', () => {
    const set = realisticMudSet({ addresses: ['192.0.2.10', '192.0.2.11'], records: 10 });
    expect(set.devices.map((d) => d.addresses)).toEqual([['192.0.2.10'], ['192.0.2.11']]);
    expect(
      set.records.every((r) => r.src.startsWith('192.0.2.1') || r.dst.startsWith('192.0.2.1')),
    ).toBe(true);
  });
});
