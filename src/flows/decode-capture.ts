import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readBoundedFile, readBoundedFrom, type BoundedReadOptions } from '../io/bounded-read.js';
import { FlowError } from './errors.js';
import { FlowDecoder } from './flow-decoder.js';
import type { FlowRecord } from './flow-record.js';
import { readCapture, type CaptureCounters } from './pcap.js';
import { looksLikeZeek } from './zeek.js';

/** Captures larger than this are refused rather than read into memory. */
export const MAX_CAPTURE_BYTES = 1 << 30;

export interface DecodedCapture {
  readonly decoder: FlowDecoder;
  readonly capture: CaptureCounters;
}

/**
 * What `flows decode` was given: a Zeek conn.log (streamed from the file, or held in `bytes` when
 * it came through a pipe) or a capture (always held whole).
 */
export type FlowInput =
  | { readonly kind: 'zeek'; readonly bytes: Buffer | undefined }
  | { readonly kind: 'capture'; readonly bytes: Buffer };

/**
 * Opens a flow input and tells a Zeek log from a capture by its first bytes. A regular file is
 * sniffed in place; a pipe, a device or a process substitution (`<(cat file)`) cannot be read
 * twice, so it is read whole within the capture limit first. A directory is an error.
 */
export function openFlowInput(path: string): FlowInput {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    let regular: boolean;
    try {
      const stat = fstatSync(fd);
      regular = stat.isFile();
      if (stat.isDirectory()) {
        throw new FlowError(
          'FLOW_FILE_UNREADABLE',
          `${path}: is a directory, not a capture or a Zeek log`,
          { where: path },
        );
      }
      if (regular) {
        const head = Buffer.alloc(4096);
        const got = readSync(fd, head, 0, head.length, 0);
        if (looksLikeZeek(head.subarray(0, got))) return { kind: 'zeek', bytes: undefined };
      }
    } catch (error) {
      if (error instanceof FlowError) throw error;
      throw unreadable(path, error);
    }
    const bytes = readBoundedFrom(fd, path, captureRead(path));
    return !regular && looksLikeZeek(bytes.subarray(0, 4096))
      ? { kind: 'zeek', bytes }
      : { kind: 'capture', bytes };
  } finally {
    closeSync(fd);
  }
}

/**
 * Replays a pcap/pcapng of export datagrams through one FlowDecoder, in capture order, using
 * each frame's capture time as the receive time. Calls `onRecords` with each datagram's records.
 */
export async function decodeCaptureFile(
  path: string,
  onRecords: (records: FlowRecord[]) => void | Promise<void>,
  decoder: FlowDecoder = new FlowDecoder(),
): Promise<DecodedCapture> {
  return decodeCaptureBytes(readCaptureBytes(path), path, onRecords, decoder);
}

/** decodeCaptureFile for a capture already in memory (`name` is used in messages). */
export async function decodeCaptureBytes(
  bytes: Buffer,
  name: string,
  onRecords: (records: FlowRecord[]) => void | Promise<void>,
  decoder: FlowDecoder = new FlowDecoder(),
): Promise<DecodedCapture> {
  const capture: CaptureCounters = { frames: 0, udp: 0, skipped: 0, truncatedBytes: 0 };
  const out: FlowRecord[] = [];
  for (const datagram of readCapture(bytes, name, capture)) {
    out.length = 0;
    decoder.decode(datagram.payload, datagram.source, datagram.timeMs, out);
    if (out.length > 0) await onRecords(out.slice());
  }
  return { decoder, capture };
}

function readCaptureBytes(path: string): Buffer {
  return readBoundedFile(path, captureRead(path));
}

function captureRead(path: string): BoundedReadOptions {
  return {
    maxBytes: MAX_CAPTURE_BYTES,
    what: 'capture',
    failure: (error) =>
      new FlowError(
        error.code === 'INPUT_TOO_LARGE' ? 'FLOW_PCAP_INVALID' : 'FLOW_FILE_UNREADABLE',
        error.message,
        { where: path, cause: error },
      ),
  };
}

function unreadable(path: string, error: unknown): FlowError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file' : (code ?? String(error));
  return new FlowError('FLOW_FILE_UNREADABLE', `${path}: cannot read: ${reason}`, {
    where: path,
    cause: error,
  });
}
