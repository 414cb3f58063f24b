import { readFile, stat } from 'node:fs/promises';
import { errorText } from '../errors/error-text.js';
import { FlowError } from './errors.js';
import { FlowDecoder } from './flow-decoder.js';
import type { FlowRecord } from './flow-record.js';
import { readCapture, type CaptureCounters } from './pcap.js';

/** Captures larger than this are refused rather than read into memory. */
export const MAX_CAPTURE_BYTES = 1 << 30;

export interface DecodedCapture {
  readonly decoder: FlowDecoder;
  readonly capture: CaptureCounters;
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
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.size > MAX_CAPTURE_BYTES) {
      throw new FlowError(
        'FLOW_PCAP_INVALID',
        `${path}: ${info.size} bytes is larger than the ${MAX_CAPTURE_BYTES}-byte limit`,
        { where: path },
      );
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof FlowError) throw error;
    throw new FlowError('FLOW_FILE_UNREADABLE', `cannot read ${path}: ${errorText(error)}`, {
      where: path,
      cause: error,
    });
  }
  const capture: CaptureCounters = { frames: 0, udp: 0, skipped: 0 };
  const out: FlowRecord[] = [];
  for (const datagram of readCapture(bytes, path, capture)) {
    out.length = 0;
    decoder.decode(datagram.payload, datagram.source, datagram.timeMs, out);
    if (out.length > 0) await onRecords(out.slice());
  }
  return { decoder, capture };
}
