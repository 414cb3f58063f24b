import { datagramsOf, type DatagramBatch } from './datagram-batch.js';
import type { FlowDecoder } from './flow-decoder.js';
import { formatFlowNdjson } from './flow-file-format.js';
import type { FlowRecord } from './flow-record.js';

/** An IPv4 exporter seen through a dual-stack socket is reported as its IPv4 address. */
export function exporterAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** Receives encoded NDJSON: whole lines only, `records` of them. The bytes are reused after. */
export type NdjsonChunkSink = (bytes: Uint8Array, records: number) => void;

/** Receives each datagram's decoded records (the array is reused after; the records are not). */
export type RecordTap = (
  records: readonly FlowRecord[],
  exporter: string,
  receivedAt: number,
) => void;

/**
 * Decodes batches of datagrams and encodes their records as NDJSON straight into one reused
 * byte buffer, handed out in large chunks. Each line is written into the buffer as soon as it
 * is formatted: concatenating a batch's lines into one big string first costs several times
 * the decoding itself (flattening the string, then encoding it), measured in bench/flows.
 */
export class NdjsonBatchEncoder {
  private readonly buffer: Buffer;
  private used = 0;
  private records = 0;
  private readonly scratch: FlowRecord[] = [];

  constructor(
    private readonly decoder: FlowDecoder,
    bufferBytes = 4 * 1024 * 1024,
  ) {
    this.buffer = Buffer.allocUnsafe(bufferBytes);
  }

  /**
   * Decodes one batch; `emit` is called each time the buffer fills and once at the end. With
   * `ndjson` false no line is formatted (the bus alone needs none); `tap` sees every record.
   */
  encode(batch: DatagramBatch, emit: NdjsonChunkSink, tap?: RecordTap, ndjson = true): number {
    const normalised = { ...batch, exporters: batch.exporters.map(exporterAddress) };
    const scratch = this.scratch;
    const buffer = this.buffer;
    let total = 0;
    for (const datagram of datagramsOf(normalised)) {
      scratch.length = 0;
      this.decoder.decode(datagram.payload, datagram.exporter, datagram.receivedAt, scratch);
      if (tap !== undefined && scratch.length > 0)
        tap(scratch, datagram.exporter, datagram.receivedAt);
      if (!ndjson) {
        total += scratch.length;
        continue;
      }
      for (const record of scratch) {
        const line = formatFlowNdjson(record);
        // UTF-8 needs at most 3 bytes per UTF-16 unit; the newline one more.
        if (this.used + 3 * line.length + 1 > buffer.length) this.flush(emit);
        if (3 * line.length + 1 > buffer.length) throw new RangeError('flow line too long');
        this.used += buffer.write(line, this.used, 'utf8');
        buffer[this.used] = 10;
        this.used += 1;
        this.records += 1;
      }
      total += scratch.length;
    }
    scratch.length = 0;
    this.flush(emit);
    return total;
  }

  private flush(emit: NdjsonChunkSink): void {
    if (this.records === 0) return;
    const records = this.records;
    const used = this.used;
    this.used = 0;
    this.records = 0;
    emit(this.buffer.subarray(0, used), records);
  }
}
