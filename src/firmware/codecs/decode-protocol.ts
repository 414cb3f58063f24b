/**
 * What the main thread and a block-decoding worker say to each other (decode-pool.ts,
 * decode-worker.ts). Jobs go out on a MessagePort the worker listens to; results come back on the
 * same channel, and the main thread, which stays synchronous, takes them with
 * `receiveMessageOnPort` after the worker has bumped a shared counter and woken it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { BlockCodec } from './block-decoders.js';

/** Indexes into the pool's shared Int32Array. */
export const SIGNAL_RESULTS = 0;
/** `SIGNAL_READY + slot` is 1 once that worker has loaded its decoders. */
export const SIGNAL_READY = 1;

export interface DecodeWorkerData {
  readonly port: MessagePort;
  readonly signal: SharedArrayBuffer;
  readonly slot: number;
}

/**
 * Compressed blocks of one codec, handed over together in one message (one buffer, transferred,
 * not copied): posting a message costs the reading thread more than copying a block does.
 */
export interface BlockBatch {
  readonly codec: BlockCodec;
  readonly maxOutput: number;
  readonly ids: readonly number[];
  /** The blocks' bytes one after another. */
  readonly input: Uint8Array;
  /** Where each block ends in `input`. */
  readonly ends: readonly number[];
}

/** The decoded block (transferred back), or why it did not decode: one message per block. */
export type BlockResult =
  | { readonly id: number; readonly output: Uint8Array }
  | {
      readonly id: number;
      readonly error: string;
      /** The decoder could not be loaded in the worker (CodecUnavailable), not a bad block. */
      readonly unavailable: boolean;
    };
