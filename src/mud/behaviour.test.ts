import { describe, expect, it } from 'vitest';
import { checkBehaviour, type AccessGrant, type BehaviourDevice } from './behaviour.js';
import { accept, CONTEXT_YAML, flow, matcherFor, mudJson } from './test-support.js';

const CAM = '10.0.0.2';
const HUB = '10.0.0.9';
const T0 = Date.UTC(2026, 0, 1, 8);

// The camera may reach the cloud on 443 (device-opened) and the hub on UDP 5683; the hub accepts
// UDP 5683 from local networks.
const camera: BehaviourDevice = {
  id: 'cam-1',
  addresses: [CAM],
  localNetworks: ['10.0.0.0/24'],
  matcher: matcherFor(
    mudJson(
      [
        accept('cloud', {
          ipv4: { 'ietf-acldns:dst-dnsname': 'cloud.example.com' },
          tcp: { 'destination-port': { port: 443 }, 'ietf-mud:direction-initiated': 'from-device' },
        }),
        accept('hub', {
          'ietf-mud:mud': { controller: 'https://controller.example.com/hub' },
          udp: { 'destination-port': { port: 5683 } },
        }),
      ],
      [
        accept('cloud-back', {
          ipv4: { 'ietf-acldns:src-dnsname': 'cloud.example.com' },
          tcp: { 'source-port': { port: 443 }, 'ietf-mud:direction-initiated': 'from-device' },
        }),
      ],
    ),
  ),
};
const hub: BehaviourDevice = {
  id: 'hub',
  addresses: [HUB],
  localNetworks: ['10.0.0.0/24'],
  matcher: matcherFor(
    mudJson(
      [],
      [
        accept('coap', {
          'ietf-mud:mud': { 'local-networks': [null] },
          udp: { 'destination-port': { port: 5683 } },
        }),
      ],
    ),
    CONTEXT_YAML.replace('ipv4: 10.0.0.2', `ipv4: ${HUB}`),
  ),
};

const at = (seconds: number) => ({ first: T0 + seconds * 1000, last: T0 + seconds * 1000 + 500 });

describe('the behaviour check', () => {
  it('judges both legs when both ends are devices', () => {
    const report = checkBehaviour({ devices: [camera, hub] }, [
      flow({ src: CAM, dst: HUB, proto: 17, sport: 40000, dport: 5683, ...at(0) }),
    ]);
    expect(report).toMatchObject({ records: 1, legs: 2, allowedLegs: 2, findings: [] });
    const wrongPort = checkBehaviour({ devices: [camera, hub] }, [
      flow({ src: CAM, dst: HUB, proto: 17, sport: 40000, dport: 5684, ...at(0) }),
    ]);
    expect(wrongPort.findings.map((f) => [f.device, f.kind, f.directions])).toEqual([
      ['cam-1', 'undeclared-traffic', ['from-device']],
      ['hub', 'undeclared-traffic', ['to-device']],
    ]);
  });

  it('aggregates violations per device, remote, port and protocol with bounded samples', () => {
    const beacon = (s: number, bytes: number) =>
      flow({
        src: CAM,
        dst: '203.0.113.66',
        proto: 6,
        sport: 40000 + s,
        dport: 8443,
        origin: 'src',
        bytes,
        packets: 2,
        ...at(s),
      });
    const report = checkBehaviour({ devices: [camera], maxSamples: 2 }, [
      beacon(30, 100),
      beacon(10, 200),
      beacon(20, 300),
      flow({
        src: '203.0.113.66',
        dst: CAM,
        proto: 6,
        sport: 8443,
        dport: 40010,
        origin: 'dst',
        bytes: 50,
        ...at(11),
      }),
    ]);
    expect(report.findings).toHaveLength(1);
    const [finding] = report.findings;
    expect(finding).toMatchObject({
      device: 'cam-1',
      kind: 'undeclared-traffic',
      remote: '203.0.113.66',
      port: 8443,
      proto: 6,
      records: 4,
      bytes: 650,
      first: T0 + 10_000,
      last: T0 + 30_500,
    });
    expect(finding?.directions.sort()).toEqual(['from-device', 'to-device']);
    expect(finding?.samples.map((r) => r.sport)).toEqual([40030, 40010]);
  });

  it('counts records that touch no device and leaves allowed traffic out of the findings', () => {
    const report = checkBehaviour({ devices: [camera] }, [
      flow({ src: '10.0.0.50', dst: '203.0.113.1', ...at(0) }),
      flow({ src: CAM, dst: '198.51.100.10', sport: 40000, dport: 443, origin: 'src', ...at(0) }),
      flow({ src: '198.51.100.10', dst: CAM, sport: 443, dport: 40000, origin: 'dst', ...at(0) }),
    ]);
    expect(report).toMatchObject({ unattributed: 1, legs: 2, allowedLegs: 2, findings: [] });
  });
});

describe('management-plane access and grants', () => {
  const grant: AccessGrant = {
    id: 'support-42',
    devices: ['cam-1'],
    sources: ['203.0.113.0/28'],
    ports: [22],
    from: T0,
    until: T0 + 3_600_000,
  };
  const ssh = (
    src: string,
    seconds: number,
    fields: Parameters<typeof flow>[0] extends infer F ? Partial<F> : never = {},
  ) => flow({ src, dst: CAM, proto: 6, sport: 51000, dport: 22, ...at(seconds), ...fields });

  it('allows SSH from outside only inside a grant for the device, source, port and window', () => {
    const report = checkBehaviour({ devices: [camera], grants: [grant] }, [
      ssh('203.0.113.5', 60),
      flow({ src: CAM, dst: '203.0.113.5', proto: 6, sport: 22, dport: 51000, ...at(61) }),
    ]);
    expect(report).toMatchObject({ grantedLegs: 2, findings: [] });
  });

  it.each([
    ['before the window', ssh('203.0.113.5', -10)],
    ['running past the window', ssh('203.0.113.5', 3599, { last: T0 + 3_600_001 })],
    ['from a source outside the grant', ssh('203.0.113.99', 60)],
    ['on a port the grant does not name', ssh('203.0.113.5', 60, { dport: 830 })],
  ])('reports unapproved-access %s', (_label, record) => {
    const report = checkBehaviour({ devices: [camera], grants: [grant] }, [record]);
    expect(report.findings.map((f) => [f.kind, f.remote, f.port])).toEqual([
      ['unapproved-access', record.src, record.dport],
    ]);
  });

  it('does not grant access to another device', () => {
    const other = { ...grant, devices: ['hub'] };
    expect(
      checkBehaviour({ devices: [camera], grants: [other] }, [ssh('203.0.113.5', 60)]).findings[0]
        ?.kind,
    ).toBe('unapproved-access');
  });

  it('leaves management ports from the local networks to the MUD file', () => {
    const report = checkBehaviour({ devices: [camera] }, [ssh('10.0.0.9', 60)]);
    expect(report.findings.map((f) => f.kind)).toEqual(['undeclared-traffic']);
  });

  it('does not call a connection the device opened to port 443 elsewhere access to it', () => {
    const reply = flow({
      src: '198.51.100.10',
      dst: CAM,
      proto: 6,
      sport: 443,
      dport: 443,
      origin: 'dst',
      ...at(0),
    });
    expect(checkBehaviour({ devices: [camera] }, [reply])).toMatchObject({
      allowedLegs: 1,
      findings: [],
    });
  });

  it('honours configured management ports', () => {
    const custom = { ...camera, managementPorts: [8080] };
    const report = checkBehaviour({ devices: [custom] }, [
      ssh('203.0.113.5', 60, { dport: 8080 }),
      ssh('203.0.113.5', 60),
    ]);
    expect(report.findings.map((f) => [f.kind, f.port])).toEqual([
      ['undeclared-traffic', 22],
      ['unapproved-access', 8080],
    ]);
  });
});
