/**
 * The attributes squashfs records per inode, read by the native reader (unpack/squashfs): mode,
 * numeric owner and modification time to the second, plus the superblock's creation time
 * (squashfs_fs.h: `mkfs_time` at byte 8, little-endian).
 */
import { UnpackBudget, type UnpackLimits } from '../limits.js';
import { normaliseMemberPath } from '../tree.js';
import { openSquashfs } from '../unpack/squashfs/decode.js';
import { walkSquashfs } from '../unpack/squashfs/walk.js';
import type { ArchiveMember } from './archive-members.js';

/** The superblock's creation time (seconds since the epoch). */
export function squashfsCreationTime(image: Buffer): number | undefined {
  return image.length >= 12 ? image.readUInt32LE(8) : undefined;
}

/**
 * The members of a squashfs image with their attributes; undefined when the image cannot be
 * opened (the unpacker has then reported why, and the diff stops as incomplete). The walk is
 * bounded by the same file count as the unpacker.
 */
export function squashfsMembers(image: Buffer, limits: UnpackLimits): ArchiveMember[] | undefined {
  const budget = new UnpackBudget(limits);
  const fs = openSquashfs(image, budget, 'squashfs@0x0');
  if (fs === undefined) return undefined;
  const members: ArchiveMember[] = [];
  walkSquashfs(
    fs,
    (name, inode) => {
      const path = normaliseMemberPath(name);
      if (path !== undefined && path !== '/') {
        const { mode, uid, gid, mtime } = fs.attributes(inode.header);
        members.push({
          path,
          attributes: {
            mode,
            mtime,
            ...(uid === undefined ? {} : { uid }),
            ...(gid === undefined ? {} : { gid }),
          },
        });
      }
      return members.length < limits.maxFiles;
    },
    () => undefined,
  );
  return members;
}
