import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCaptureFile } from '../../src/flows/decode-capture.js';
import type { FlowRecord } from '../../src/flows/flow-record.js';
import { checkBehaviour } from '../../src/mud/behaviour.js';
import { CONTEXT_YAML, DEVICE, matcherFor, mudJson } from '../../src/mud/test-support.js';

const PCAP = join(import.meta.dirname, '../fixtures/flows/pcap');
const captures = readdirSync(PCAP).filter((f) => f.endsWith('.pcap') || f.endsWith('.pcapng'));

/** The IPv4 address in most UDP records whose initiator is unknown: the capture's busiest "device". */
function busiestUdpAddress(records: readonly FlowRecord[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of records) {
    if (r.proto !== 17 || r.origin !== 'unknown') continue;
    for (const a of [r.src, r.dst]) if (!a.includes(':')) counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

describe('the UDP service side on the fixture captures', () => {
  const cases: [string, FlowRecord[], string][] = [];

  it('decodes the captures that carry UDP flows of unknown initiator', async () => {
    for (const name of captures) {
      const records: FlowRecord[] = [];
      await decodeCaptureFile(join(PCAP, name), (batch) => {
        records.push(...batch);
      });
      const address = busiestUdpAddress(records);
      if (address !== undefined) cases.push([name, records, address]);
    }
    expect(cases.length).toBeGreaterThan(3);
  });

  it('counts every violating record once and never finds more than the lower-port rule did', () => {
    for (const [name, records, address] of cases) {
      const device = {
        id: 'dev',
        addresses: [address],
        localNetworks: [],
        // A MUD file allowing nothing: every leg of the device is a violation.
        matcher: matcherFor(
          mudJson([], []),
          CONTEXT_YAML.replace(`ipv4: ${DEVICE}`, `ipv4: ${address}`),
        ),
      };
      const report = checkBehaviour({ devices: [device], maxSamples: 1 }, records);
      const violating = report.legs - report.allowedLegs - report.grantedLegs;
      expect(
        report.findings.reduce((sum, f) => sum + f.records, 0),
        name,
      ).toBe(violating);
      // The old rule: one finding per remote, protocol and lower port of each record.
      const lowerPort = new Set<string>();
      for (const r of records) {
        if (r.src !== address && r.dst !== address) continue;
        const remote = r.src === address ? r.dst : r.src;
        lowerPort.add(`${remote} ${r.proto} ${Math.min(r.sport, r.dport)}`);
      }
      expect(report.findings.length, name).toBeLessThanOrEqual(lowerPort.size);
      for (const f of report.findings) expect(f.inferred, name).toBeDefined();
    }
  });
});
