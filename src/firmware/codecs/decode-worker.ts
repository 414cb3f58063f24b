/**
 * A block-decoding worker: decodes each block it is handed with the same decoder the main
 * thread would use, and hands the bytes back without copying them where it can. It never
 * throws: a block that does not decode is answered with the decoder's message.
 */
import { workerData } from 'node:worker_threads';
import { blockDecoder, type BlockCodec } from './block-decoders.js';
import { CodecUnavailable } from './codec-error.js';
import { lzmaAvailable } from './lzma.js';
import {
  SIGNAL_READY,
  SIGNAL_RESULTS,
  type BlockBatch,
  type BlockResult,
  type DecodeWorkerData,
} from './decode-protocol.js';

const { port, signal, slot } = workerData as DecodeWorkerData;
const counter = new Int32Array(signal);

function answer(result: BlockResult, transfer: ArrayBuffer[] = []): void {
  port.postMessage(result, transfer);
  // Posted first, counted second: a main thread that sees the count changed finds the message.
  Atomics.add(counter, SIGNAL_RESULTS, 1);
  Atomics.notify(counter, SIGNAL_RESULTS);
}

/** Decodes one block and answers it, as soon as it is done (the reader may be waiting for it). */
function decodeOne(codec: BlockCodec, id: number, input: Buffer, maxOutput: number): void {
  let output: Buffer;
  try {
    output = blockDecoder(codec)(input, maxOutput);
  } catch (error) {
    answer({
      id,
      error: error instanceof Error ? error.message : String(error),
      unavailable: error instanceof CodecUnavailable,
    });
    return;
  }
  // A buffer that has its ArrayBuffer (nearly) to itself moves back for free: zlib's output is
  // a view of the one chunk it allocated for this block, a little larger than the block. A view
  // into a much larger or a pooled allocation is copied, since transferring would take its
  // neighbours along; so is a native library's external buffer (napi, on Node 24), which the
  // runtime cannot detach.
  const owned =
    output.buffer instanceof ArrayBuffer &&
    output.buffer.byteLength > Buffer.poolSize &&
    output.buffer.byteLength <= 2 * output.byteLength;
  if (owned)
    try {
      answer({ id, output }, [output.buffer as ArrayBuffer]);
      return;
    } catch {
      // not detachable: fall through to a copy
    }
  const copy = new Uint8Array(output);
  answer({ id, output: copy }, [copy.buffer]);
}

port.on('message', (batch: BlockBatch) => {
  const input = Buffer.from(batch.input.buffer, batch.input.byteOffset, batch.input.byteLength);
  let start = 0;
  batch.ids.forEach((id, i) => {
    const end = batch.ends[i] ?? start;
    decodeOne(batch.codec, id, input.subarray(start, end), batch.maxOutput);
    start = end;
  });
});

// The xz/LZMA binding is loaded before the worker says it is ready, so that no block waits for
// it. Whether it loads does not matter here: a block it cannot decode is answered unavailable.
lzmaAvailable();
Atomics.store(counter, SIGNAL_READY + slot, 1);
