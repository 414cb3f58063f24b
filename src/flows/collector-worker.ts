/**
 * The collector's decode thread: takes batches of raw datagrams from the receive thread, decodes
 * them, writes NDJSON to the outputs, and hands each buffer back with the counters. Everything
 * slow (decoding, formatting, writes, fsync) happens here so the receive thread only drains the
 * sockets.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { DecodeThreadData, FromDecodeThread, ToDecodeThread } from './collector-protocol.js';
import { snapshotCounters } from './collector-protocol.js';
import { NdjsonBatchEncoder } from './decode-batch.js';
import { FlowError } from './errors.js';
import { FlowDecoder } from './flow-decoder.js';
import { NdjsonFileSink, outputError, type FlowSink } from './flow-sink.js';
import { FlowStoreSink } from './flow-store-writer.js';
import { FlowPublisher } from '../bus/flow-publisher.js';
import type { FlowRecord } from './flow-record.js';

if (parentPort === null) throw new Error('collector-worker runs as a worker thread');
const port = parentPort;
const data = workerData as DecodeThreadData;
const post = (message: FromDecodeThread, transfer: ArrayBuffer[] = []): void => {
  port.postMessage(message, transfer);
};

function fail(error: unknown): void {
  const known = error instanceof FlowError ? error : outputError('the collector output', error);
  post({ type: 'failed', code: known.code, message: known.message, where: known.where });
}

/**
 * Lowers this thread's scheduling priority (Linux: /proc/thread-self names the thread id, and
 * setpriority on a thread id applies to that thread alone). When the two threads compete for a
 * core, the receive thread should win: a late decode only grows the bounded batch queue, a late
 * receive loses datagrams in the kernel.
 */
function yieldToReceiveThread(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0)
      setPriority(tid, Math.min(19, getPriority() + data.niceness));
  } catch {
    // Not Linux, or not permitted: both threads keep the same priority.
  }
}
yieldToReceiveThread();

const decoder = new FlowDecoder();
const sinks: FlowSink[] = [];
let recordsWritten = 0;
let failed = false;
const encoder = new NdjsonBatchEncoder(decoder);
const publisher = data.bus === undefined ? undefined : new FlowPublisher(data.bus);
/** How long a stopping collector keeps trying to publish what it buffered. */
const BUS_DRAIN_MS = 5000;

/** Records of the batch being decoded, by exporter: one bus message per exporter per batch. */
const byExporter = new Map<string, FlowRecord[]>();
let batchReceived = 0;
const tap =
  publisher === undefined
    ? undefined
    : (records: readonly FlowRecord[], exporter: string, receivedAt: number) => {
        let list = byExporter.get(exporter);
        if (list === undefined) byExporter.set(exporter, (list = []));
        if (batchReceived === 0) batchReceived = receivedAt;
        for (const r of records) list.push(r);
      };

try {
  for (const output of data.outputs)
    sinks.push(
      output.kind === 'file'
        ? new NdjsonFileSink(output.path)
        : new FlowStoreSink(output.dir, output.limits),
    );
} catch (error) {
  for (const sink of sinks) sink.close();
  failed = true;
  fail(error);
}

const progress = () => ({
  counters: snapshotCounters(decoder.counters),
  recordsWritten,
  segmentsSealed: sinks.reduce((n, s) => n + (s instanceof FlowStoreSink ? s.sealed.length : 0), 0),
  bus: publisher?.counts,
});

const timer = setInterval(() => {
  const now = Date.now();
  decoder.expire(now);
  // The bus drains on its own when it comes back: report its counters without waiting for a batch.
  if (publisher !== undefined) post({ type: 'progress', ...progress() });
  if (failed) return;
  try {
    for (const sink of sinks) sink.tick(now);
  } catch (error) {
    failed = true;
    fail(error);
  }
}, 1000);

/**
 * Batches wait here and are decoded one per turn of the event loop: a port delivers every queued
 * message in one go, and decoding them all back to back would hold off the bus connection's
 * acknowledgements (and so all publishing) for as long as the decode thread is behind.
 */
const pending: Extract<ToDecodeThread, { type: 'batch' }>[] = [];
let stopRequested = false;
let draining = false;

function drain(): void {
  const message = pending.shift();
  if (message !== undefined) decodeBatch(message);
  if (pending.length > 0) {
    setImmediate(drain);
    return;
  }
  draining = false;
  if (stopRequested) stop();
}

port.on('message', (message: ToDecodeThread) => {
  if (message.type === 'stop') {
    stopRequested = true;
    if (!draining) stop();
    return;
  }
  pending.push(message);
  if (!draining) {
    draining = true;
    setImmediate(drain);
  }
});

/** Closes the outputs once every batch received before the stop is decoded. */
function stop(): void {
  clearInterval(timer);
  try {
    for (const sink of sinks) sink.close();
  } catch (error) {
    if (!failed) fail(error);
    failed = true;
  }
  void (publisher?.close(BUS_DRAIN_MS) ?? Promise.resolve()).then(() => {
    post({ type: 'stopped', ...progress() });
    port.close();
  });
}

function decodeBatch(message: Extract<ToDecodeThread, { type: 'batch' }>): void {
  const { batch } = message;
  if (!failed) {
    try {
      encoder.encode(
        batch,
        (bytes, records) => {
          const now = Date.now();
          for (const sink of sinks) sink.write(bytes, records, now);
          recordsWritten += records;
        },
        tap,
        sinks.length > 0,
      );
      if (publisher !== undefined) {
        for (const [exporter, records] of byExporter)
          publisher.offer(exporter, records, batchReceived);
        byExporter.clear();
        batchReceived = 0;
      }
    } catch (error) {
      failed = true;
      fail(error);
    }
  }
  post({ type: 'batch-done', buffer: batch.buffer, ...progress() }, [batch.buffer]);
}

if (!failed) post({ type: 'ready' });
