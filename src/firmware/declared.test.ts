import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDeclared, readMudDeclaration } from './declared.js';
import type { Indicator } from './indicators/types.js';

const fixture = readFileSync(
  new URL('../../test/fixtures/firmware/mudmaker-cloud-service.json', import.meta.url),
  'utf8',
);
const destination = (host: string, port?: number): Indicator => ({
  kind: 'outbound_destination',
  rule: 'FW-NET-001',
  path: '/etc/rc.local',
  line: 1,
  detail: '',
  evidence: '',
  host,
  ...(port === undefined ? {} : { port }),
});
const listener = (port: number, protocol: 'tcp' | 'udp' = 'tcp'): Indicator => ({
  kind: 'listening_service',
  rule: 'FW-SVC-001',
  path: '/etc/rc.local',
  line: 1,
  detail: '',
  evidence: '',
  port,
  protocol,
});

describe('a MUD file that allows only its cloud service (mudmaker example)', () => {
  const declaration = readMudDeclaration(fixture, 'cloud-service.json');

  it('declares the cloud host on any port and nothing else', () => {
    expect(isDeclared(declaration, destination('cloud-service.example.com', 443))).toBe(true);
    expect(isDeclared(declaration, destination('beacon.example.net', 443))).toBe(false);
    expect(isDeclared(declaration, destination('198.51.100.1'))).toBe(false);
  });

  it('declares no listening port', () => {
    expect(isDeclared(declaration, listener(22))).toBe(false);
  });
});

describe('port ranges and networks', () => {
  const mud = JSON.stringify({
    'ietf-mud:mud': {
      'from-device-policy': { 'access-lists': { 'access-list': [{ name: 'out' }] } },
      'to-device-policy': { 'access-lists': { 'access-list': [{ name: 'in' }] } },
    },
    'ietf-access-control-list:acls': {
      acl: [
        {
          name: 'in',
          aces: {
            ace: [
              {
                matches: {
                  udp: { 'destination-port': { 'lower-port': 5000, 'upper-port': 5010 } },
                },
                actions: { forwarding: 'accept' },
              },
            ],
          },
        },
        {
          name: 'out',
          aces: {
            ace: [
              {
                matches: { ipv4: { 'destination-ipv4-network': '203.0.113.0/24' } },
                actions: { forwarding: 'accept' },
              },
              {
                matches: { 'ietf-mud:mud': { 'local-networks': [null] } },
                actions: { forwarding: 'accept' },
              },
              {
                matches: { ipv4: { 'ietf-acldns:dst-dnsname': 'denied.example.com' } },
                actions: { forwarding: 'drop' },
              },
            ],
          },
        },
      ],
    },
  });
  const declaration = readMudDeclaration(mud, 'inline');

  it('matches listeners by protocol and range', () => {
    expect(isDeclared(declaration, listener(5005, 'udp'))).toBe(true);
    expect(isDeclared(declaration, listener(5005, 'tcp'))).toBe(false);
    expect(isDeclared(declaration, listener(5011, 'udp'))).toBe(false);
  });

  it('matches addresses by network, local networks, and ignores non-accepting ACEs', () => {
    expect(isDeclared(declaration, destination('203.0.113.77', 80))).toBe(true);
    expect(isDeclared(declaration, destination('192.168.1.1', 80))).toBe(true);
    expect(isDeclared(declaration, destination('198.51.100.1', 80))).toBe(false);
    expect(isDeclared(declaration, destination('denied.example.com'))).toBe(false);
  });
});

describe('a file that is not a MUD file', () => {
  it('is rejected with FIRMWARE_MUD_INVALID naming the file', () => {
    expect(() => readMudDeclaration('{}', 'x.json')).toThrow(
      expect.objectContaining({
        code: 'FIRMWARE_MUD_INVALID',
        message: expect.stringContaining('x.json'),
      }),
    );
    expect(() => readMudDeclaration('{', 'y.json')).toThrow(
      expect.objectContaining({ code: 'FIRMWARE_MUD_INVALID' }),
    );
  });
});
