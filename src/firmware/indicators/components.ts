import type { Component } from './types.js';

interface VersionSignature {
  readonly name: string;
  /** A literal found with Buffer#indexOf first, so the regex runs on a small window only. */
  readonly anchor: Buffer;
  readonly pattern: RegExp;
}

const signature = (name: string, anchor: string, pattern: RegExp): VersionSignature => ({
  name,
  anchor: Buffer.from(anchor, 'latin1'),
  pattern,
});

/** Version strings that the programs themselves print (the same strings `--version` shows). */
const SIGNATURES: readonly VersionSignature[] = [
  signature('busybox', 'BusyBox v', /^BusyBox v(\d+\.\d+(?:\.\d+)?)/),
  signature('dropbear', 'dropbear_', /^dropbear_(\d{4}\.\d+)/),
  signature('openssl', 'OpenSSL ', /^OpenSSL (\d+\.\d+\.\d+[a-z]{0,2})\s/),
  signature('openssh', 'OpenSSH_', /^OpenSSH_(\d+\.\d+(?:p\d+)?)/),
  signature('dnsmasq', 'dnsmasq-', /^dnsmasq-(\d+\.\d+(?:\.\d+)?)/),
  signature('lighttpd', 'lighttpd/', /^lighttpd\/(\d+\.\d+\.\d+)/),
  signature('glibc', 'GNU C Library', /^GNU C Library[^\n\0]{0,80}?version (\d+\.\d+(?:\.\d+)?)/),
  signature('uclibc', 'uClibc', /^uClibc(?:-ng)? (\d+\.\d+\.\d+)/),
  signature('linux', 'Linux version ', /^Linux version (\d+\.\d+(?:\.\d+)?)/),
];

/** The literal each signature starts with (the content scanner looks for all of them at once). */
export const COMPONENT_ANCHORS: readonly string[] = SIGNATURES.map((s) =>
  s.anchor.toString('latin1'),
);

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/** Version strings are looked for in programs, libraries and kernel or carved blobs. */
export function mayCarryVersion(path: string, data: Buffer): boolean {
  return (
    data.subarray(0, 4).equals(ELF) ||
    path.includes('/@') ||
    /(vmlinu[xz]|zImage|uImage|Image)[^/]*$/.test(path)
  );
}

/** Components named by version strings inside one binary, at the anchor offsets given. */
export function binaryComponents(
  path: string,
  data: Buffer,
  hits: ReadonlyMap<string, readonly number[]>,
): Component[] {
  const found: Component[] = [];
  for (const { name, anchor, pattern } of SIGNATURES) {
    // A binary may quote other programs' names before its own banner: try a few hits.
    for (const at of (hits.get(anchor.toString('latin1')) ?? []).slice(0, 8)) {
      const window = data.toString('latin1', at, Math.min(data.length, at + 160));
      const match = pattern.exec(window);
      if (match?.[1] !== undefined) {
        const evidence = window
          .slice(0, window.search(/[\0\n]/) === -1 ? window.length : window.search(/[\0\n]/))
          .slice(0, 120);
        found.push({ name, version: match[1], path, evidence });
        break;
      }
    }
  }
  const lib = /\/(?:ld-)?(?:lib)?uClibc-(\d+\.\d+\.\d+)\.so$/.exec(path);
  if (lib?.[1] !== undefined && !found.some((c) => c.name === 'uclibc')) {
    found.push({
      name: 'uclibc',
      version: lib[1],
      path,
      evidence: path.slice(path.lastIndexOf('/') + 1),
    });
  }
  return found;
}

/** Package databases: opkg/dpkg `status` stanzas and apk's `installed`. */
export function isPackageDatabase(path: string): boolean {
  return (
    /^\/(usr\/lib|var\/lib)\/(opkg|dpkg)\/status$/.test(path) || path === '/lib/apk/db/installed'
  );
}

/** Components listed in a package database (Package/Version stanzas, or apk's P:/V: lines). */
export function packageComponents(path: string, text: string): Component[] {
  const found: Component[] = [];
  const apk = path.endsWith('/installed');
  for (const stanza of text.split(/\r?\n\r?\n/)) {
    const name = (apk ? /^P:(.+)$/m : /^Package:\s*(.+)$/m).exec(stanza)?.[1]?.trim();
    const version = (apk ? /^V:(.+)$/m : /^Version:\s*(.+)$/m).exec(stanza)?.[1]?.trim();
    if (name === undefined || version === undefined) continue;
    const status = /^Status:\s*(.+)$/m.exec(stanza)?.[1];
    if (status !== undefined && !status.includes('installed')) continue;
    found.push({
      name,
      version,
      path,
      evidence: apk ? `P:${name} V:${version}` : `Package: ${name} Version: ${version}`,
    });
  }
  return found;
}
