/**
 * Where the collector's decode thread puts NDJSON text: an append-only file (`--out`) or the flow
 * store (`--data`). Synchronous on purpose: it runs on the decode thread, never on the thread that
 * drains the sockets, and a blocking write is the back-pressure that fills the bounded batch
 * queue (whose overflow is counted) instead of an unbounded in-memory write queue.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { errorText } from '../errors/error-text.js';
import { FlowError } from './errors.js';

export interface FlowSink {
  /** Appends complete NDJSON lines holding `records` records, received around `now`. */
  write(bytes: Uint8Array, records: number, now: number): void;
  /** Called about once a second: time-based rotation and syncing. */
  tick(now: number): void;
  /** Makes everything written durable where the sink promises that, and closes. */
  close(): void;
}

/** Writes all of `bytes`: writeSync may write less than asked (a full disk, a signal). */
export function writeAll(fd: number, bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
  return bytes.length;
}

export function outputError(where: string, error: unknown): FlowError {
  const reason = errorText(error);
  return new FlowError('FLOW_COLLECTOR_OUTPUT', `cannot write ${where}: ${reason}`, {
    where,
    cause: error,
  });
}

/** `--out <file.ndjson>`: appended to, created when missing. */
export class NdjsonFileSink implements FlowSink {
  private fd: number | undefined;

  constructor(private readonly path: string) {
    try {
      this.fd = openSync(path, 'a');
    } catch (error) {
      throw outputError(path, error);
    }
  }

  write(bytes: Uint8Array): void {
    if (this.fd === undefined) throw outputError(this.path, new Error('closed'));
    try {
      writeAll(this.fd, bytes);
    } catch (error) {
      throw outputError(this.path, error);
    }
  }

  tick(): void {
    // A plain output file promises no durability beyond what the kernel writes back.
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
