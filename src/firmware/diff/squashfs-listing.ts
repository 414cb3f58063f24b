/**
 * The attributes squashfs records per inode, from Debian's `unsquashfs -lln -UTC` listing
 * (squashfs-tools; the same tool the unpacker uses): mode, numeric owner, and the modification
 * time to the minute (the listing's precision), plus the superblock's creation time
 * (squashfs_fs.h: `mkfs_time` at byte 8, little-endian). A differing second within the same
 * minute is not seen here; the image's bytes still differ and are reported as `container`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseMemberPath } from '../tree.js';
import type { ArchiveMember } from './archive-members.js';

const LINE =
  /^([-dlcbps])([-rwxsStT]{9})\s+(\d+)\/(\d+)\s+(?:\d+|\d+,\s*\d+)\s+(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}) squashfs-root(.*)$/;

const PERMISSION_BITS = [0o400, 0o200, 0o100, 0o040, 0o020, 0o010, 0o004, 0o002, 0o001];

/** `rwxr-sr-t` → the mode bits, with setuid/setgid/sticky. */
function modeOf(text: string): number {
  let mode = 0;
  for (const [i, bit] of PERMISSION_BITS.entries()) {
    const c = text[i] ?? '-';
    if (c !== '-' && c !== 'S' && c !== 'T') mode |= bit;
  }
  if (/[sS]/.test(text[2] ?? '')) mode |= 0o4000;
  if (/[sS]/.test(text[5] ?? '')) mode |= 0o2000;
  if (/[tT]/.test(text[8] ?? '')) mode |= 0o1000;
  return mode;
}

/** The superblock's creation time (seconds since the epoch). */
export function squashfsCreationTime(image: Buffer): number | undefined {
  return image.length >= 12 ? image.readUInt32LE(8) : undefined;
}

/**
 * The members of a squashfs image as `unsquashfs` lists them; undefined when the tool is
 * missing or fails (the unpacker then has reported the same, and the diff stops as incomplete).
 */
export function squashfsMembers(image: Buffer): ArchiveMember[] | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-sqfs-list-'));
  try {
    const file = join(dir, 'image.sqfs');
    writeFileSync(file, image);
    const run = spawnSync('unsquashfs', ['-lln', '-UTC', '-n', file], {
      maxBuffer: 256 * 1024 * 1024,
      timeout: 120_000,
    });
    if (run.error !== undefined || run.status !== 0) return undefined;
    const members: ArchiveMember[] = [];
    for (const line of run.stdout.toString('utf8').split('\n')) {
      const m = LINE.exec(line);
      if (m === null) continue;
      const [, type, perms, uid, gid, y, mo, d, h, mi, rest] = m;
      let name = rest ?? '';
      if (type === 'l') {
        const arrow = name.indexOf(' -> ');
        if (arrow >= 0) name = name.slice(0, arrow);
      }
      const path = normaliseMemberPath(name);
      if (path === undefined || path === '/') continue;
      members.push({
        path,
        attributes: {
          mode: modeOf(perms ?? ''),
          uid: Number(uid),
          gid: Number(gid),
          mtime: Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)) / 1000,
        },
      });
    }
    return members;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
