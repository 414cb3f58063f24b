import { describe, expect, it } from 'vitest';
import { endpointOf } from '../sbom/cyclonedx.js';
import type { Service } from '../sbom/model.js';
import { declarationFromServices, sbomNetworkDeclaration } from './declared-sbom.js';
import { isDeclared } from './declared.js';
import type { Indicator } from './indicators/types.js';

function service(endpoints: string[], properties: Record<string, string> = {}): Service {
  return {
    ref: 's',
    name: 's',
    version: null,
    provider: null,
    endpoints: endpoints.map(endpointOf),
    authenticated: null,
    trustBoundary: null,
    flows: [],
    properties,
    path: '/services/0',
  };
}

const listener = (protocol: 'tcp' | 'udp', port: number): Indicator => ({
  kind: 'listening_service',
  rule: 'FW-SVC-001',
  path: '/etc/init.d/rcS',
  detail: '',
  evidence: '',
  protocol,
  port,
});
const destination = (host: string, port?: number): Indicator => ({
  kind: 'outbound_destination',
  rule: 'FW-NET-001',
  path: '/etc/init.d/rcS',
  detail: '',
  evidence: '',
  host,
  ...(port === undefined ? {} : { port }),
});

describe('what CycloneDX services declare', () => {
  describe('a service on a wildcard or loopback host', () => {
    it('is a listener on its port, with the transport its scheme implies', () => {
      const d = declarationFromServices([service(['ssh://0.0.0.0:2222']), service(['ntp://[::]'])]);
      expect(isDeclared(d, listener('tcp', 2222))).toBe(true);
      expect(isDeclared(d, listener('tcp', 22))).toBe(false);
      expect(isDeclared(d, listener('udp', 123))).toBe(true);
      expect(isDeclared(d, listener('tcp', 123))).toBe(false);
    });
  });

  describe('a service on a remote host', () => {
    it('is a destination by DNS name or IPv4 address, with its port', () => {
      const d = declarationFromServices([
        service(['https://Updates.Example.net./fw']),
        service(['mqtt://192.0.2.10:1884']),
      ]);
      expect(isDeclared(d, destination('updates.example.net', 443))).toBe(true);
      expect(isDeclared(d, destination('updates.example.net', 80))).toBe(false);
      expect(isDeclared(d, destination('192.0.2.10', 1884))).toBe(true);
      expect(isDeclared(d, destination('192.0.2.11', 1884))).toBe(false);
      expect(isDeclared(d, listener('tcp', 443))).toBe(false);
    });
  });

  describe('nospy properties', () => {
    it('override the direction, transport and port (a range as low-high)', () => {
      const d = declarationFromServices([
        service(['snmp://0.0.0.0'], {
          'nospy:direction': 'listen',
          'nospy:transport': 'udp',
          'nospy:port': '161-162',
        }),
        service(['tcp://localhost:9000'], { 'nospy:direction': 'connect' }),
      ]);
      expect(isDeclared(d, listener('udp', 162))).toBe(true);
      expect(isDeclared(d, listener('udp', 163))).toBe(false);
      // A destination on a loopback host is no destination at all.
      expect(d.destinations).toEqual([]);
    });

    it('declare nothing for a malformed port, rather than every port', () => {
      const d = declarationFromServices([service(['ssh://0.0.0.0'], { 'nospy:port': '22; 80' })]);
      expect(isDeclared(d, listener('tcp', 22))).toBe(false);
      expect(isDeclared(d, listener('tcp', 80))).toBe(false);
    });
  });

  it('a service with no endpoint and no port declares no listening port', () => {
    const d = declarationFromServices([service([])]);
    expect(isDeclared(d, listener('tcp', 8080))).toBe(false);
  });
});

describe('an SBOM as a network declaration (the rule firmware scan and check share)', () => {
  const document = (services: readonly Service[], format: 'CycloneDX' | 'SPDX' = 'CycloneDX') => ({
    format,
    specVersion: '1.5',
    name: null,
    components: [],
    dependencies: [],
    services,
    deviations: [],
  });

  it('declares nothing without services: no verdict either way', () => {
    expect(sbomNetworkDeclaration(document([]))).toBeUndefined();
  });

  it('declares what its services declare', () => {
    const declared = sbomNetworkDeclaration(document([service(['ssh://0.0.0.0:22'])]));
    expect(declared?.listeners).toEqual([{ protocol: 'tcp', ports: { low: 22, high: 22 } }]);
  });
});
