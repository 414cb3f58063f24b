/**
 * Decodes compressed blocks on worker threads for a caller that stays synchronous (a file
 * tree's `read`). Blocks go out as transferred buffers; the caller blocks in `Atomics.wait` only
 * when it needs a result that is not back yet, and takes results with `receiveMessageOnPort`, so
 * no event-loop turn is needed. Results come back in any order and are matched by id.
 *
 * The pool never makes a read fail that would have succeeded on the main thread: until a worker
 * has loaded its decoders `submit` declines (the caller decodes in place), and a pool whose
 * workers stop answering declines from then on (`DecodePoolStalled`).
 */
import { availableParallelism } from 'node:os';
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import type { BlockCodec } from './block-decoders.js';
import { CodecError, CodecUnavailable } from './codec-error.js';
import {
  SIGNAL_READY,
  SIGNAL_RESULTS,
  type BlockBatch,
  type BlockResult,
  type DecodeWorkerData,
} from './decode-protocol.js';
import { startWorkerModule } from '../../io/start-worker.js';

/** A wait this long with no result from any worker means they have stopped (crashed, killed). */
const STALL_MS = 60_000;
/** More threads than this gain nothing on a block size of 128 KiB and cost memory. */
const MAX_THREADS = 8;

/** The workers stopped answering: decode in place from now on. */
export class DecodePoolStalled extends Error {
  override readonly name = 'DecodePoolStalled';
}

/**
 * From dist/ the worker is the compiled decode-worker.js; run from the TypeScript sources (tests,
 * benchmarks) it registers tsx first, since a worker does not inherit the parent's loader.
 */
function startWorker(data: DecodeWorkerData): Worker {
  return startWorkerModule(import.meta.url, 'decode-worker', {
    workerData: data,
    transferList: [data.port],
  });
}

interface Lane {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly slot: number;
  inFlight: number;
  /** Exited (an error, or terminated): its jobs in flight will not come back. */
  gone: boolean;
}

export class BlockDecodePool {
  readonly #signal: Int32Array;
  readonly #lanes: Lane[] = [];
  readonly #results = new Map<number, BlockResult>();
  /** Ids whose results are no longer wanted: dropped as they arrive. */
  readonly #cancelled = new Set<number>();
  readonly #laneOf = new Map<number, Lane>();
  #nextId = 1;
  #stalled = false;
  #answered = 0;

  constructor(readonly threads: number) {
    const shared = new SharedArrayBuffer(4 * (SIGNAL_READY + threads));
    this.#signal = new Int32Array(shared);
    for (let slot = 0; slot < threads; slot += 1) {
      const { port1, port2 } = new MessageChannel();
      const worker = startWorker({ port: port2, signal: shared, slot });
      // Neither the workers nor the port may keep a finished process alive.
      worker.unref();
      port1.unref();
      const lane: Lane = { worker, port: port1, slot, inFlight: 0, gone: false };
      // Seen only between synchronous reads; a worker that dies during one is caught by STALL_MS.
      worker.on('error', () => undefined);
      worker.on('exit', () => {
        lane.gone = true;
        Atomics.store(this.#signal, SIGNAL_READY + slot, 0);
      });
      this.#lanes.push(lane);
    }
  }

  /** Workers that have loaded their decoders (none, at first, while they start). */
  get ready(): number {
    if (this.#stalled) return 0;
    return this.#lanes.filter((lane) => Atomics.load(this.#signal, SIGNAL_READY + lane.slot) === 1)
      .length;
  }

  /**
   * Hands a block to the ready worker with the least work; its bytes are copied once into a
   * buffer of their own that is transferred. Undefined when no worker is ready: decode it here.
   */
  submit(codec: BlockCodec, block: Uint8Array, maxOutput: number): number | undefined {
    return this.submitBatch(codec, [block], maxOutput)?.[0];
  }

  /**
   * Hands blocks to the ready worker with the least work, in one message: their bytes are
   * copied once into one buffer that is transferred. The job ids, in the blocks' order, or
   * undefined when no worker is ready: decode them here.
   */
  submitBatch(
    codec: BlockCodec,
    blocks: readonly Uint8Array[],
    maxOutput: number,
  ): number[] | undefined {
    if (this.#stalled) return undefined;
    let best: Lane | undefined;
    for (const lane of this.#lanes)
      if (
        Atomics.load(this.#signal, SIGNAL_READY + lane.slot) === 1 &&
        (best === undefined || lane.inFlight < best.inFlight)
      )
        best = lane;
    if (best === undefined) return undefined;
    let total = 0;
    for (const block of blocks) total += block.byteLength;
    const input = new Uint8Array(total);
    const ids: number[] = [];
    const ends: number[] = [];
    let at = 0;
    for (const block of blocks) {
      input.set(block, at);
      at += block.byteLength;
      ends.push(at);
      ids.push(this.#nextId);
      this.#laneOf.set(this.#nextId, best);
      this.#nextId += 1;
    }
    const batch: BlockBatch = { codec, maxOutput, ids, input, ends };
    best.port.postMessage(batch, [input.buffer]);
    best.inFlight += blocks.length;
    return ids;
  }

  /**
   * The decoded block of a job, waiting for it if need be. Throws CodecError or
   * CodecUnavailable as the decoder did, DecodePoolStalled when the workers stopped answering.
   */
  take(id: number): Buffer {
    if ((!this.#laneOf.has(id) && !this.#results.has(id)) || this.#cancelled.has(id))
      throw new Error(`block job ${id} was never submitted, or was taken or cancelled`);
    let waited = 0;
    for (;;) {
      if (this.#stalled && !this.#results.has(id))
        throw new DecodePoolStalled('the worker threads stopped answering earlier');
      const seen = Atomics.load(this.#signal, SIGNAL_RESULTS);
      this.#drain();
      const result = this.#results.get(id);
      if (result !== undefined) {
        this.#results.delete(id);
        if ('output' in result)
          return Buffer.from(
            result.output.buffer,
            result.output.byteOffset,
            result.output.byteLength,
          );
        throw result.unavailable
          ? new CodecUnavailable(result.error)
          : new CodecError(result.error);
      }
      if (waited >= STALL_MS || this.#laneOf.get(id)?.gone === true) {
        this.#stalled = true;
        throw new DecodePoolStalled(
          `the worker threads stopped answering (nothing decoded in ${waited} ms, or a worker exited)`,
        );
      }
      const started = Date.now();
      Atomics.wait(this.#signal, SIGNAL_RESULTS, seen, STALL_MS - waited);
      waited += Date.now() - started;
    }
  }

  /**
   * True when `take(id)` would not wait: the result is back (or the workers have stopped, so it
   * would throw at once). Lets a caller do other work instead of waiting.
   */
  done(id: number): boolean {
    if (this.#stalled || this.#results.has(id)) return true;
    this.#drain();
    return this.#results.has(id) || this.#laneOf.get(id)?.gone !== false;
  }

  /** Forgets a job whose result is no longer wanted. */
  cancel(id: number): void {
    if (this.#results.delete(id)) return;
    if (this.#laneOf.has(id)) this.#cancelled.add(id);
  }

  /** Jobs handed out whose results have not been taken or cancelled. */
  get outstanding(): number {
    return this.#laneOf.size - this.#cancelled.size + this.#results.size;
  }

  /** Jobs handed to workers that have not answered yet (those the workers have still to do). */
  get inFlight(): number {
    this.#drain();
    let jobs = 0;
    for (const lane of this.#lanes) if (!lane.gone) jobs += lane.inFlight;
    return jobs;
  }

  /** Blocks the workers have answered so far. */
  get answered(): number {
    return this.#answered;
  }

  #drain(): void {
    for (const lane of this.#lanes)
      for (
        let message = receiveMessageOnPort(lane.port);
        message !== undefined;
        message = receiveMessageOnPort(lane.port)
      ) {
        const result = message.message as BlockResult;
        lane.inFlight -= 1;
        this.#answered += 1;
        this.#laneOf.delete(result.id);
        if (!this.#cancelled.delete(result.id)) this.#results.set(result.id, result);
      }
  }

  /** Stops the workers (tests; a CLI run just exits). */
  async close(): Promise<void> {
    this.#stalled = true;
    await Promise.all(this.#lanes.map((lane) => lane.worker.terminate()));
  }
}

let shared: BlockDecodePool | undefined | null;

/**
 * The process's pool, started on first use: one worker per core (at most 8), or as many as
 * `NOSPY_DECODE_THREADS` says; none (undefined) on one core or when it says 0.
 */
export function sharedDecodePool(): BlockDecodePool | undefined {
  if (shared === undefined) {
    const wanted = process.env.NOSPY_DECODE_THREADS;
    const parsed = wanted === undefined || wanted === '' ? Number.NaN : Number(wanted);
    const cores = availableParallelism();
    const threads = Number.isInteger(parsed) && parsed >= 0 ? parsed : cores > 1 ? cores : 0;
    shared = threads === 0 ? null : new BlockDecodePool(Math.min(threads, MAX_THREADS));
  }
  return shared ?? undefined;
}
