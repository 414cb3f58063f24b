/**
 * The writing side of the flow store (flow-store.ts): one writer per store, enforced by a lock
 * file; segments rotated by age and size, fdatasync'd about once a second while open and fsynced
 * before they are renamed from `.open` to their sealed name.
 */
import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { FlowError } from './errors.js';
import { outputError, writeAll, type FlowSink } from './flow-sink.js';
import { recoverOpenSegments, segmentName, syncDirectory } from './flow-store.js';

export interface FlowStoreLimits {
  /** A segment is sealed once it is this old (ms since its first record). */
  readonly segmentMs: number;
  /** …or once it holds this many bytes. */
  readonly segmentBytes: number;
}

export const DEFAULT_FLOW_STORE_LIMITS: FlowStoreLimits = {
  segmentMs: 60_000,
  segmentBytes: 256 * 1024 * 1024,
};

const LOCK_FILE = 'collector.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the store's lock: a file holding the writer's pid. A lock whose process is gone (a killed
 * collector) is taken over; a live one is refused, because two writers would each recover the
 * other's open segment.
 */
function lockStore(dir: string): string {
  const lock = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw outputError(dir, error);
    }
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      throw new FlowError(
        'FLOW_STORE_LOCKED',
        `another collector (pid ${pid}) writes the flow store ${dir}`,
        { where: lock },
      );
    }
    unlinkSync(lock);
  }
  throw new FlowError('FLOW_STORE_LOCKED', `cannot take the lock ${lock}`, { where: lock });
}

/** `--data <dir>`: NDJSON segments under `<dir>/flows/`. */
export class FlowStoreSink implements FlowSink {
  private readonly lock: string;
  private fd: number | undefined;
  private openPath = '';
  private startedAt = 0;
  private bytes = 0;
  private lastSync = 0;
  private lastName = '';
  /** Segments sealed by this writer, in order (for logs and tests). */
  readonly sealed: string[] = [];

  constructor(
    readonly dir: string,
    private readonly limits: FlowStoreLimits = DEFAULT_FLOW_STORE_LIMITS,
  ) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw outputError(dir, error);
    }
    this.lock = lockStore(dir);
    this.sealed.push(...recoverOpenSegments(dir));
  }

  write(bytes: Uint8Array, _records: number, now: number): void {
    try {
      if (this.fd === undefined) this.openSegment(now);
      this.bytes += writeAll(this.fd ?? -1, bytes);
      if (this.bytes >= this.limits.segmentBytes) this.seal();
    } catch (error) {
      throw error instanceof FlowError ? error : outputError(this.openPath, error);
    }
  }

  tick(now: number): void {
    if (this.fd === undefined) return;
    try {
      if (now - this.startedAt >= this.limits.segmentMs) this.seal();
      else if (now - this.lastSync >= 1000) {
        fdatasyncSync(this.fd);
        this.lastSync = now;
      }
    } catch (error) {
      throw outputError(this.openPath, error);
    }
  }

  close(): void {
    try {
      if (this.fd !== undefined) this.seal();
    } finally {
      try {
        unlinkSync(this.lock);
      } catch {
        // Already gone: nothing to release.
      }
    }
  }

  private openSegment(now: number): void {
    // Names are unique and increasing even when two segments start in the same millisecond.
    let at = now;
    let name = segmentName(at);
    while (name <= this.lastName) name = segmentName((at += 1));
    this.lastName = name;
    this.openPath = join(this.dir, `${name}.open`);
    this.fd = openSync(this.openPath, 'wx', 0o600);
    syncDirectory(this.dir);
    this.startedAt = now;
    this.lastSync = now;
    this.bytes = 0;
  }

  private seal(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    fsyncSync(fd);
    closeSync(fd);
    const target = this.openPath.slice(0, -'.open'.length);
    renameSync(this.openPath, target);
    syncDirectory(this.dir);
    this.sealed.push(target);
  }
}
