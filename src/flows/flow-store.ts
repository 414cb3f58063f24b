/**
 * The flow store: `<data>/flows/`, a directory of append-only NDJSON flow files (the flow-file
 * format of docs/flows.md) that `nospy collect --data` writes and `nospy check` reads. Each
 * segment is named by the time its first record was written (`flows-20261128T174033.123Z.ndjson`,
 * so name order is time order); the one being written ends in `.open` and is renamed once it is
 * fsynced and closed. Only complete lines are ever read from an open segment.
 */
import {
  closeSync,
  existsSync,
  ftruncateSync,
  fsyncSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';

/** The store's directory inside a data directory. */
export const FLOW_STORE_DIR = 'flows';

const SEGMENT = /^flows-(\d{8}T\d{6}\.\d{3}Z)\.ndjson(\.open)?$/;

/** The sealed segment name for a segment started at `ms` (Unix ms). */
export function segmentName(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-28T17:40:33.123Z
  return `flows-${iso.slice(0, 10).replaceAll('-', '')}T${iso.slice(11, 19).replaceAll(':', '')}${iso.slice(19)}.ndjson`;
}

/** A segment to read: its path and, for one still being written, the bytes that are whole lines. */
export interface FlowSegment {
  readonly path: string;
  readonly open: boolean;
  /** For an open segment: read only this many bytes (up to its last newline). */
  readonly lengthBytes?: number;
}

/** Whether `path` is a flow store directory (rather than a flow file). */
export function isFlowStore(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** The segments of a store in time order; other files in the directory are not flow data. */
export function flowSegments(dir: string): FlowSegment[] {
  const names = readdirSync(dir)
    .filter((name) => SEGMENT.test(name))
    .sort();
  return names.map((name) => {
    const path = join(dir, name);
    if (!name.endsWith('.open')) return { path, open: false };
    return { path, open: true, lengthBytes: completeLength(path) };
  });
}

/** The length of the prefix of a file that ends with its last newline (0 when there is none). */
export function completeLength(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const read = readSync(fd, chunk, 0, end - start, start);
      const newline = chunk.subarray(0, read).lastIndexOf(10);
      if (newline >= 0) return start + newline + 1;
      end = start;
    }
    return 0;
  } finally {
    closeSync(fd);
  }
}

/**
 * Seals the open segments a collector left behind when it was killed: cuts each back to its last
 * complete line (a write interrupted mid-line), fsyncs and renames it; an empty one is removed.
 * Only call this while holding the store's lock.
 */
export function recoverOpenSegments(dir: string): string[] {
  const sealed: string[] = [];
  for (const segment of flowSegments(dir)) {
    if (!segment.open) continue;
    const length = segment.lengthBytes ?? 0;
    if (length === 0) {
      unlinkSync(segment.path);
      continue;
    }
    const fd = openSync(segment.path, 'r+');
    try {
      ftruncateSync(fd, length);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const target = segment.path.slice(0, -'.open'.length);
    renameSync(segment.path, target);
    sealed.push(target);
  }
  if (sealed.length > 0) syncDirectory(dir);
  return sealed;
}

/** fsyncs a directory so a create or rename in it survives a crash (POSIX; no-op elsewhere). */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a directory for fsync; renames there are not made durable this way.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
