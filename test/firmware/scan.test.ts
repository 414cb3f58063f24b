import { rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanFirmware, type FirmwareReport } from '../../src/firmware/scan.js';
import type { Indicator } from '../../src/firmware/indicators/types.js';
import { requireTools, requireToolsInTest } from '../helpers/require-tools.js';
import { cleanTree, pack, PACK_TOOLS, plantedTree, writeTree, type PackFormat } from './images.js';

const FORMATS: readonly PackFormat[] = [
  'tar-gnu',
  'tar-pax',
  'tar-ustar',
  'tar.gz',
  'tar.xz',
  'cpio-newc',
  'cpio-crc',
  'cpio-odc',
  'cpio.gz',
  'squashfs',
  'flash-uimage',
  'flash-squashfs',
];

let work: string;
let cleanRoot: string;
let plantedRoot: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'nospy-fwscan-'));
  cleanRoot = writeTree(cleanTree());
  plantedRoot = writeTree(plantedTree());
});
afterAll(() => {
  for (const dir of [work, cleanRoot, plantedRoot]) rmSync(dir, { recursive: true, force: true });
});

function scanPacked(root: string, format: PackFormat, mudFile?: string): FirmwareReport {
  const file = join(work, `image.${format}`);
  writeFileSync(file, pack(root, format));
  return scanFirmware(file, mudFile === undefined ? {} : { mudFile });
}

/** What must match across formats: every field of every indicator. */
const signature = (indicators: readonly Indicator[]): string[] =>
  indicators.map((i) => JSON.stringify(i));
const summary = (indicators: readonly Indicator[]): string[] =>
  indicators.map((i) => `${i.rule} ${i.kind} ${i.path}${i.line === undefined ? '' : `:${i.line}`}`);

describe('a planted image scanned as an unpacked directory', () => {
  it('reports each planted indicator once, with rule, kind, path and line', () => {
    const report = scanFirmware(plantedRoot);
    expect(report.image).toEqual({ sha256: null, format: 'directory', size: expect.any(Number) });
    expect(summary(report.indicators)).toEqual([
      'FW-NET-002 outbound_destination /etc/crontabs/root:1',
      'FW-KEY-003 key.static_host_key /etc/dropbear/dropbear_rsa_host_key',
      'FW-SVC-001 listening_service /etc/init.d/rcS:4',
      'FW-SVC-010 listening_service /etc/init.d/rcS:5',
      'FW-SVC-010 listening_service /etc/init.d/rcS:6',
      'FW-NET-001 outbound_destination /etc/init.d/rcS:7',
      'FW-SVC-001 listening_service /etc/inittab:2',
      'FW-CRED-010 credential.uid0_extra_account /etc/passwd:2',
      'FW-CRED-001 credential.password_hash /etc/passwd:6',
      'FW-CRED-003 credential.password_hash /etc/shadow:1',
      'FW-CRED-003 credential.password_hash /etc/shadow:3',
      'FW-CRED-002 credential.password_hash /etc/shadow:5',
      'FW-KEY-002 key.static_host_key /etc/ssh/ssh_host_ed25519_key',
      'FW-KEY-001 key.private /etc/ssl/private/server.key',
      'FW-SSH-001 ssh.authorized_keys /root/.ssh/authorized_keys:2',
      'FW-BD-001 backdoor.known_string /usr/sbin/httpd',
    ]);
    expect(report.backdoor).toBe(true);
  });

  it('names the Mirai default credential, the hash type and the shell listeners', () => {
    const report = scanFirmware(plantedRoot);
    const byRule = (rule: string, path: string): Indicator | undefined =>
      report.indicators.find((i) => i.rule === rule && i.path === path);
    expect(
      report.indicators
        .filter((i) => i.knownCredential !== undefined)
        .map((i) => [i.knownCredential, i.hashType]),
    ).toEqual([
      ['root:xc3511', 'md5crypt'],
      ['support:support', 'sha512crypt'],
    ]);
    expect(
      report.indicators.filter((i) => i.shell === true).map((i) => [i.program, i.port]),
    ).toEqual([
      ['telnetd', 2323],
      ['nc', 4444],
    ]);
    expect(byRule('FW-SVC-001', '/etc/inittab')?.detail).toContain('unusual port 2222');
    expect(byRule('FW-NET-002', '/etc/crontabs/root')).toMatchObject({
      host: '203.0.113.9',
      port: 9001,
    });
    expect(byRule('FW-NET-001', '/etc/init.d/rcS')).toMatchObject({
      host: 'update.vendor-telemetry.example.net',
      port: 80,
    });
    expect(byRule('FW-KEY-001', '/etc/ssl/private/server.key')).toMatchObject({
      keyType: 'rsa',
      fingerprint: expect.stringMatching(/^SHA256:/),
    });
    expect(byRule('FW-KEY-003', '/etc/dropbear/dropbear_rsa_host_key')?.keyType).toBe('ssh-rsa');
    expect(byRule('FW-BD-001', '/usr/sbin/httpd')?.offset).toBeGreaterThan(0);
  });

  it('finds the components with their version strings and package metadata', () => {
    const report = scanFirmware(plantedRoot);
    expect(report.components.map((c) => `${c.name}@${c.version} ${c.path}`)).toEqual([
      'busybox@1.36.1 /bin/busybox',
      'busybox@1.36.1-1 /usr/lib/opkg/status',
      'dnsmasq@2.89-1 /usr/lib/opkg/status',
      'dropbear@2022.83 /usr/sbin/dropbear',
      'lighttpd@1.4.69 /usr/sbin/httpd',
      'openssl@3.0.11 /usr/lib/libssl.so.3',
    ]);
    expect(report.components[0]?.evidence).toBe(
      'BusyBox v1.36.1 (2024-01-01 00:00:00 UTC) multi-call binary.',
    );
  });
});

describe('the clean image with its traps', () => {
  it('lists the declared-looking service but raises no back-door indicator', () => {
    const report = scanFirmware(cleanRoot);
    expect(summary(report.indicators)).toEqual(['FW-SVC-001 listening_service /etc/init.d/rcS:6']);
    expect(report.backdoor).toBe(false);
  });
});

describe.each(FORMATS)('when the images are packed as %s', (format) => {
  requireTools(...PACK_TOOLS[format]);

  it('reports exactly the indicators of the unpacked directory', () => {
    const expected = signature(scanFirmware(plantedRoot).indicators);
    const report = scanPacked(plantedRoot, format);
    expect(signature(report.indicators)).toEqual(expected);
    expect(report.warnings).toEqual([]);
    expect(report.image.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the clean image quiet', () => {
    const report = scanPacked(cleanRoot, format);
    expect(signature(report.indicators)).toEqual(signature(scanFirmware(cleanRoot).indicators));
    expect(report.backdoor).toBe(false);
  });
});

describe('when the image is a raw flash dump', () => {
  it('reports each carve with offset, type and size, and the container chain', (context) => {
    requireToolsInTest(context, ...PACK_TOOLS['flash-squashfs']);
    const report = scanPacked(plantedRoot, 'flash-squashfs');
    expect(report.image.format).toBe('raw');
    expect(report.carves.map((c) => [c.offset, c.type, c.within ?? null])).toEqual([
      [0x10000, 'uimage', null],
      [expect.any(Number), 'squashfs', null],
    ]);
    expect(report.carves[0]?.detail).toContain('data_crc=ok');
    expect(report.components.map((c) => c.name)).toContain('linux');
  });

  it('names the chain when the image starts with a container', (context) => {
    requireToolsInTest(context, ...PACK_TOOLS['cpio-odc']);
    expect(scanPacked(plantedRoot, 'tar.gz').image.format).toBe('gzip/tar');
    expect(scanPacked(plantedRoot, 'cpio-odc').image.format).toBe('cpio');
  });
});

describe('when a MUD file declares the release behaviour', () => {
  const mud = (): string => {
    const file = join(work, 'release.mud.json');
    writeFileSync(
      file,
      JSON.stringify({
        'ietf-mud:mud': {
          'mud-version': 1,
          'from-device-policy': { 'access-lists': { 'access-list': [{ name: 'out' }] } },
          'to-device-policy': { 'access-lists': { 'access-list': [{ name: 'in' }] } },
        },
        'ietf-access-control-list:acls': {
          acl: [
            {
              name: 'in',
              type: 'ipv4-acl-type',
              aces: {
                ace: [
                  {
                    name: 'ssh',
                    matches: {
                      ipv4: { protocol: 6 },
                      tcp: { 'destination-port': { operator: 'eq', port: 22 } },
                    },
                    actions: { forwarding: 'accept' },
                  },
                ],
              },
            },
            {
              name: 'out',
              type: 'ipv4-acl-type',
              aces: {
                ace: [
                  {
                    name: 'upd',
                    matches: {
                      ipv4: { 'ietf-acldns:dst-dnsname': 'update.vendor-telemetry.example.net' },
                      tcp: { 'destination-port': { operator: 'eq', port: 80 } },
                    },
                    actions: { forwarding: 'accept' },
                  },
                ],
              },
            },
          ],
        },
      }),
    );
    return file;
  };

  it('marks each listener and destination declared or not', () => {
    const report = scanFirmware(plantedRoot, { mudFile: mud() });
    const marked = report.indicators
      .filter((i) => i.declared !== undefined)
      .map((i) => `${i.kind} ${i.port ?? ''} ${i.host ?? ''} ${String(i.declared)}`);
    expect(marked).toEqual([
      'outbound_destination 9001 203.0.113.9 false',
      'listening_service 22  true',
      'listening_service 2323  false',
      'listening_service 4444  false',
      'outbound_destination 80 update.vendor-telemetry.example.net true',
      'listening_service 2222  false',
    ]);
  });

  it('leaves the clean image clean when its one listener is declared', () => {
    const report = scanFirmware(cleanRoot, { mudFile: mud() });
    expect(report.indicators.map((i) => i.declared)).toEqual([true]);
    expect(report.backdoor).toBe(false);
  });
});
