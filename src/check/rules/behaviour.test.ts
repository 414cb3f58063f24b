import { describe, expect, it } from 'vitest';
import type { BehaviourDevice } from '../../mud/index.js';
import { accept, flow, matcherFor, mudJson } from '../../mud/test-support.js';
import { checkReport } from '../report.js';
import { ACME, agreement, ALL_CLAUSES, grant, logged, NOW } from '../test-support.js';

const DEVICE = '10.0.0.2';
const T0 = Date.UTC(2026, 4, 1, 8);
const router: BehaviourDevice = {
  id: 'acme-1',
  addresses: [DEVICE],
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
const inventory = [{ id: 'acme-1', vendor: ACME, model: 'R1', firmware: undefined }];
const beacon = flow({
  src: DEVICE,
  dst: '203.0.113.66',
  proto: 17,
  sport: 5000,
  dport: 53535,
  first: T0,
  last: T0 + 1000,
});
const ssh = flow({
  src: '198.51.100.7',
  dst: DEVICE,
  sport: 50000,
  dport: 22,
  first: T0,
  last: T0 + 1000,
  tcpFlags: 0x02,
});

function run(records: ReturnType<typeof flow>[], extra: ReturnType<typeof logged>[] = []) {
  return checkReport(
    {
      statements: [logged(agreement(ACME, [...ALL_CLAUSES]), 0), ...extra],
      inventory,
      flows: { devices: [router], records, sources: ['flows.ndjson'] },
    },
    { now: NOW },
  ).findings.filter((f) => f.kind !== 'canary-lapsed');
}

describe('undeclared-traffic and unapproved-access', () => {
  describe('when every flow is declared', () => {
    it('reports nothing', () => {
      expect(
        run([
          flow({
            src: DEVICE,
            dst: '198.51.100.10',
            dport: 443,
            first: T0,
            last: T0 + 10,
            tcpFlags: 0x02,
          }),
        ]),
      ).toEqual([]);
    });
  });

  describe('when the device talks to an undeclared endpoint', () => {
    it('reports undeclared traffic with flow samples, breaking the MUD clause', () => {
      const [f] = run([beacon]);
      expect(f?.kind).toBe('undeclared-traffic');
      expect(f?.subject).toEqual({ device: 'acme-1', vendor: ACME });
      expect(f?.breaks).toEqual({
        type: 'clause',
        agreement: 0,
        clause: 'traffic-within-declared-mud',
      });
      expect(f?.evidence[0]).toMatchObject({ type: 'flows', total: { records: 1 } });
    });
  });

  describe('when an outside address reaches a management port without a grant', () => {
    it('reports unapproved access', () => {
      expect(run([ssh]).map((f) => f.kind)).toContain('unapproved-access');
    });
  });

  describe('when a logged access grant covers the access', () => {
    it('reports no unapproved access', () => {
      const g = logged(
        grant(ACME, 'acme-1', '198.51.100.0/24', '2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z'),
        1,
      );
      expect(run([ssh], [g]).map((f) => f.kind)).not.toContain('unapproved-access');
    });
  });

  describe('when the grant window ended before the access', () => {
    it('still reports it', () => {
      const g = logged(
        grant(ACME, 'acme-1', '198.51.100.0/24', '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z'),
        1,
      );
      expect(run([ssh], [g]).map((f) => f.kind)).toContain('unapproved-access');
    });
  });
});
