/**
 * The messages between the collector's receive thread (sockets) and its decode thread (decoder,
 * NDJSON, output). Batches travel as transferred ArrayBuffers and come back for reuse.
 */
import type { BusCounts } from '../bus/flow-publisher.js';
import type { FlowBusNames } from '../bus/flow-subjects.js';
import { DecodeCounters, type DropReason, type MalformedReason } from './decode-counters.js';
import type { DatagramBatch } from './datagram-batch.js';
import type { FlowErrorCode } from './errors.js';
import type { FlowStoreLimits } from './flow-store-writer.js';

/** Where the decode thread writes: an NDJSON file and/or the flow store. */
export type CollectorOutput =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'store'; readonly dir: string; readonly limits: FlowStoreLimits };

/** Where the decode thread publishes batches, beside (or instead of) its outputs. */
export interface CollectorBus {
  readonly url: string;
  readonly names: FlowBusNames;
  readonly collectorId: string;
  readonly maxBufferBytes: number;
}

export interface DecodeThreadData {
  readonly outputs: readonly CollectorOutput[];
  readonly bus?: CollectorBus | undefined;
  /** The decode thread's nice value relative to the process (0: same priority). */
  readonly niceness: number;
}

export type ToDecodeThread =
  { readonly type: 'batch'; readonly batch: DatagramBatch } | { readonly type: 'stop' };

/** Decoder counters as plain data (Maps survive structured cloning). */
export interface CountersSnapshot {
  readonly datagrams: number;
  readonly malformedDatagrams: number;
  readonly records: number;
  readonly templates: number;
  readonly templatesRedefined: number;
  readonly templatesWithdrawn: number;
  readonly optionsRecords: number;
  readonly samplesSkipped: number;
  readonly setsBuffered: number;
  readonly setsReplayed: number;
  readonly malformed: ReadonlyMap<MalformedReason, number>;
  readonly dropped: ReadonlyMap<DropReason, number>;
  readonly byVersion: ReadonlyMap<number, number>;
}

export interface DecodeProgress {
  readonly counters: CountersSnapshot;
  readonly recordsWritten: number;
  /** Flow-store segments sealed so far (including ones recovered at start). */
  readonly segmentsSealed: number;
  /** The bus publisher's counters, when there is a bus. */
  readonly bus?: BusCounts | undefined;
}

export type FromDecodeThread =
  | { readonly type: 'ready' }
  | ({ readonly type: 'batch-done'; readonly buffer: ArrayBuffer } & DecodeProgress)
  | ({ readonly type: 'progress' } & DecodeProgress)
  | ({ readonly type: 'stopped' } & DecodeProgress)
  | {
      readonly type: 'failed';
      readonly code: FlowErrorCode;
      readonly message: string;
      readonly where?: string | undefined;
    };

export function snapshotCounters(counters: DecodeCounters): CountersSnapshot {
  return {
    datagrams: counters.datagrams,
    malformedDatagrams: counters.malformedDatagrams,
    records: counters.records,
    templates: counters.templates,
    templatesRedefined: counters.templatesRedefined,
    templatesWithdrawn: counters.templatesWithdrawn,
    optionsRecords: counters.optionsRecords,
    samplesSkipped: counters.samplesSkipped,
    setsBuffered: counters.setsBuffered,
    setsReplayed: counters.setsReplayed,
    malformed: new Map(counters.malformed),
    dropped: new Map(counters.dropped),
    byVersion: new Map(counters.byVersion),
  };
}

/** Copies a snapshot into the receive thread's mirror of the decoder's counters. */
export function applySnapshot(target: DecodeCounters, snapshot: CountersSnapshot): void {
  target.datagrams = snapshot.datagrams;
  target.malformedDatagrams = snapshot.malformedDatagrams;
  target.records = snapshot.records;
  target.templates = snapshot.templates;
  target.templatesRedefined = snapshot.templatesRedefined;
  target.templatesWithdrawn = snapshot.templatesWithdrawn;
  target.optionsRecords = snapshot.optionsRecords;
  target.samplesSkipped = snapshot.samplesSkipped;
  target.setsBuffered = snapshot.setsBuffered;
  target.setsReplayed = snapshot.setsReplayed;
  for (const [map, from] of [
    [target.malformed, snapshot.malformed],
    [target.dropped, snapshot.dropped],
    [target.byVersion, snapshot.byVersion],
  ] as const) {
    (map as Map<unknown, number>).clear();
    for (const [key, value] of from) (map as Map<unknown, number>).set(key, value);
  }
}
