import { describe, expect, it } from 'vitest';
import { isDeclared, readMudDeclaration } from '../declared.js';
import { MemoryTree } from '../tree.js';
import { CLIENT_DEFAULTS } from './client-ports.js';
import { startupIndicators } from './startup.js';

/** A MUD file allowing `host` (by name) on one protocol and port, from the device. */
function mudAllowing(host: string, protocol: 'tcp' | 'udp', port: number): string {
  return JSON.stringify({
    'ietf-mud:mud': {
      'mud-version': 1,
      'mud-url': 'https://mud.example/d.json',
      'from-device-policy': { 'access-lists': { 'access-list': [{ name: 'out' }] } },
      'to-device-policy': { 'access-lists': { 'access-list': [] } },
    },
    'ietf-access-control-list:acls': {
      acl: [
        {
          name: 'out',
          type: 'ipv4-acl-type',
          aces: {
            ace: [
              {
                name: 'allowed',
                matches: {
                  ipv4: {
                    protocol: protocol === 'tcp' ? 6 : 17,
                    'ietf-acldns:dst-dnsname': host,
                  },
                  [protocol]: { 'destination-port': { operator: 'eq', port } },
                },
                actions: { forwarding: 'accept' },
              },
            ],
          },
        },
      ],
    },
  });
}

/** How each client of the table names a host with no port, as init scripts write it. */
const COMMAND_LINES: Record<string, string> = {
  ntpd: 'ntpd -n -q -p ntp.vendor.example',
  ntpdate: 'ntpdate -u ntp.vendor.example',
  ntpclient: 'ntpclient -s -h ntp.vendor.example',
  chronyd: "chronyd -q 'server ntp.vendor.example iburst'",
  chronyc: 'chronyc -h ntp.vendor.example tracking',
  sntp: 'sntp -S ntp.vendor.example',
  rdate: 'rdate -s ntp.vendor.example',
  ssh: 'ssh -N tunnel@ntp.vendor.example',
  scp: 'scp /tmp/log ntp.vendor.example:/srv/',
  dbclient: 'dbclient -y ntp.vendor.example',
  telnet: 'telnet ntp.vendor.example',
  tftp: 'tftp -g -r fw.bin ntp.vendor.example',
  ftpget: 'ftpget ntp.vendor.example /tmp/fw.bin fw.bin',
  ftpput: 'ftpput ntp.vendor.example up.bin /tmp/log',
  syslogd: 'syslogd -R ntp.vendor.example',
  mosquitto_pub: 'mosquitto_pub -h ntp.vendor.example -t status -m up',
  mosquitto_sub: 'mosquitto_sub -h ntp.vendor.example -t cmd',
  curl: 'curl -fsS ntp.vendor.example',
  wget: 'wget -q ntp.vendor.example',
};

const HOST = 'ntp.vendor.example';
const destinations = (line: string) =>
  startupIndicators(new MemoryTree(), '/etc/init.d/S50vendor', `${line}\n`).filter(
    (i) => i.kind === 'outbound_destination' && i.host === HOST,
  );

describe('the default protocol and port of each known client program', () => {
  it('has a command line in this test for every program of the table', () => {
    expect(Object.keys(COMMAND_LINES).sort()).toEqual(Object.keys(CLIENT_DEFAULTS).sort());
  });

  for (const [program, defaults] of Object.entries(CLIENT_DEFAULTS)) {
    const line = COMMAND_LINES[program] ?? '';
    const { protocol, port } = defaults;
    describe(`${program}: ${protocol}/${port} (${defaults.source})`, () => {
      it(`reads "${line}" as ${protocol}/${port} to ${HOST}`, () => {
        const found = destinations(line);
        // ssh's user@host and scp's host:path name the host too, but only as such.
        expect(found.map((i) => [i.program, i.protocol, i.port])).toContainEqual([
          program,
          protocol,
          port,
        ]);
      });

      it(`is no back door when the MUD file allows ${HOST} on ${protocol}/${port}`, () => {
        const mud = readMudDeclaration(mudAllowing(HOST, protocol, port), 'mud.json');
        const found = destinations(line).filter((i) => i.port === port);
        expect(found.length).toBeGreaterThan(0);
        for (const indicator of found) expect(isDeclared(mud, indicator)).toBe(true);
      });

      it('is still undeclared when the MUD file allows that host on another port only', () => {
        const mud = readMudDeclaration(mudAllowing(HOST, protocol, port + 1), 'mud.json');
        for (const indicator of destinations(line)) expect(isDeclared(mud, indicator)).toBe(false);
      });
    });
  }

  it('judges wget and curl with an https URL as tcp/443', () => {
    for (const line of [`wget -q https://${HOST}/fw`, `curl -fsS https://${HOST}/fw`]) {
      const [found] = destinations(line);
      expect([found?.protocol, found?.port]).toEqual(['tcp', 443]);
      const mud = readMudDeclaration(mudAllowing(HOST, 'tcp', 443), 'mud.json');
      expect(
        isDeclared(
          mud,
          found ?? { kind: 'outbound_destination', rule: '', path: '', detail: '', evidence: '' },
        ),
      ).toBe(true);
    }
  });

  it('does not take NTP (udp/123) as allowed by a MUD file that allows tcp/123 only', () => {
    const [found] = destinations(COMMAND_LINES.ntpd ?? '');
    const mud = readMudDeclaration(mudAllowing(HOST, 'tcp', 123), 'mud.json');
    expect(found === undefined ? undefined : isDeclared(mud, found)).toBe(false);
  });
});
