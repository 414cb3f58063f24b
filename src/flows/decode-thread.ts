import type { Worker } from 'node:worker_threads';
import type { DecodeThreadData } from './collector-protocol.js';
import { startWorkerModule } from '../io/start-worker.js';

/**
 * Starts the collector's decode thread. From dist/ it is the compiled collector-worker.js; run
 * from the TypeScript sources (tests, benchmarks) the worker registers tsx first, because a
 * worker thread does not inherit the parent's module loader.
 */
export function startDecodeThread(data: DecodeThreadData): Worker {
  return startWorkerModule(import.meta.url, 'collector-worker', { workerData: data });
}
