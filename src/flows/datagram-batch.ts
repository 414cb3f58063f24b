/**
 * Datagrams packed into one ArrayBuffer, so the receive thread hands a whole batch to the decode
 * thread with one transferred postMessage (no copy, no per-datagram message). Layout per
 * datagram: a 16-byte header (u32 payload length, u16 exporter index, u16 listener index, f64
 * receive time in Unix ms), then the payload. Exporter addresses travel beside the buffer as a
 * batch-local string table.
 */

const HEADER_BYTES = 16;

/** The largest UDP payload: every datagram fits an empty batch of the minimum capacity. */
export const MAX_DATAGRAM_BYTES = 65_535;

/** A batch in transit: the buffer, how much of it is used, and its exporter table. */
export interface DatagramBatch {
  readonly buffer: ArrayBuffer;
  readonly used: number;
  readonly datagrams: number;
  readonly exporters: readonly string[];
}

/** One datagram read back from a batch; `payload` is a view into the batch buffer. */
export interface BatchedDatagram {
  readonly payload: Uint8Array;
  readonly exporter: string;
  readonly listener: number;
  readonly receivedAt: number;
}

/** Fills a buffer with datagrams; `take()` hands the filled buffer over and starts empty. */
export class DatagramBatchBuilder {
  private view: DataView | undefined;
  private bytes: Uint8Array | undefined;
  private used = 0;
  private count = 0;
  private exporters: string[] = [];
  private readonly exporterIndex = new Map<string, number>();

  constructor(readonly capacity: number) {
    if (capacity < HEADER_BYTES + MAX_DATAGRAM_BYTES)
      throw new RangeError(`a batch must hold one largest datagram (capacity ${capacity})`);
  }

  get datagrams(): number {
    return this.count;
  }

  get bytesUsed(): number {
    return this.used;
  }

  /** Whether the batch has a buffer to fill (after `take()` it needs `reset()`). */
  get ready(): boolean {
    return this.bytes !== undefined;
  }

  /** Starts filling `buffer` (a fresh or recycled one of at least `capacity` bytes). */
  reset(buffer: ArrayBuffer): void {
    this.view = new DataView(buffer);
    this.bytes = new Uint8Array(buffer);
    this.used = 0;
    this.count = 0;
    this.exporters = [];
    this.exporterIndex.clear();
  }

  /** Whether a payload of this length still fits. */
  fits(length: number): boolean {
    return this.used + HEADER_BYTES + length <= this.capacity;
  }

  /**
   * Appends one datagram; the caller checked `fits` and `ready`. Payloads longer than a UDP
   * payload cannot come from a socket and are refused rather than corrupting the layout.
   */
  add(payload: Uint8Array, exporter: string, listener: number, receivedAt: number): void {
    const view = this.view;
    const bytes = this.bytes;
    if (view === undefined || bytes === undefined) throw new Error('batch not reset');
    if (payload.length > MAX_DATAGRAM_BYTES) throw new RangeError('datagram too long');
    let index = this.exporterIndex.get(exporter);
    if (index === undefined) {
      index = this.exporters.length;
      this.exporters.push(exporter);
      this.exporterIndex.set(exporter, index);
    }
    const at = this.used;
    view.setUint32(at, payload.length);
    view.setUint16(at + 4, index);
    view.setUint16(at + 6, listener);
    view.setFloat64(at + 8, receivedAt);
    bytes.set(payload, at + HEADER_BYTES);
    this.used = at + HEADER_BYTES + payload.length;
    this.count += 1;
  }

  /** Hands the filled batch over; the builder needs `reset()` before the next `add`. */
  take(): DatagramBatch {
    const bytes = this.bytes;
    if (bytes === undefined) throw new Error('batch not reset');
    const batch = {
      buffer: bytes.buffer as ArrayBuffer,
      used: this.used,
      datagrams: this.count,
      exporters: this.exporters,
    };
    this.view = undefined;
    this.bytes = undefined;
    return batch;
  }
}

/**
 * The datagrams of a batch, in order. The batch crossed a thread boundary, so its layout is
 * checked as it is read: a header that points outside the used bytes or at an unknown exporter
 * ends the walk with an error instead of reading garbage.
 */
export function* datagramsOf(batch: DatagramBatch): Generator<BatchedDatagram> {
  const view = new DataView(batch.buffer, 0, batch.used);
  let at = 0;
  for (let n = 0; n < batch.datagrams; n += 1) {
    if (at + HEADER_BYTES > batch.used) throw new RangeError(`batch header ${n} out of bounds`);
    const length = view.getUint32(at);
    const exporter = batch.exporters[view.getUint16(at + 4)];
    const end = at + HEADER_BYTES + length;
    if (end > batch.used || exporter === undefined)
      throw new RangeError(`batch datagram ${n} out of bounds`);
    yield {
      payload: new Uint8Array(batch.buffer, at + HEADER_BYTES, length),
      exporter,
      listener: view.getUint16(at + 6),
      receivedAt: view.getFloat64(at + 8),
    };
    at = end;
  }
}
