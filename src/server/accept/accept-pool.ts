/**
 * Spreads the verification of submitted statements over worker threads, so that
 * `POST /v1/statements` is not bound to the one core of the event loop: Ed25519 checks, the
 * statement's schema and its signing rules run beside the HTTP handling, the sequencer and the
 * store, which stay on the main thread. Workers start with the first submission (a server that
 * takes none pays nothing); one that fails is replaced at the next submission, and what it had
 * in flight is answered as an internal error. With `threads: 0` submissions are judged in place.
 */
import { Worker } from 'node:worker_threads';
import { NospyError } from '../../errors/nospy-error.js';
import { StatementError, type StatementErrorCode } from '../../statements/errors.js';
import type { Trust } from '../../statements/trust.js';
import { trustToTransfer } from '../../statements/trust-transfer.js';
import {
  reviveAccepted,
  type AcceptedSubmission,
  type AcceptJob,
  type AcceptReply,
  type AcceptWorkerData,
  type RefusedSubmission,
} from './accept-protocol.js';
import { acceptSubmission } from './accept-submission.js';
import { startWorkerModule } from '../../io/start-worker.js';

interface Pending {
  readonly resolve: (accepted: AcceptedSubmission) => void;
  readonly reject: (error: Error) => void;
}

interface Lane {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  gone: boolean;
}

/**
 * From dist/ the worker is the compiled accept-worker.js; run from the TypeScript sources (tests,
 * benchmarks) it registers tsx first, since a worker does not inherit the parent's loader.
 */
function startWorker(data: AcceptWorkerData): Worker {
  return startWorkerModule(import.meta.url, 'accept-worker', { workerData: data });
}

export class StatementAcceptPool {
  readonly #trust: Trust;
  readonly #threads: number;
  readonly #lanes: (Lane | undefined)[];
  #nextId = 1;
  #closed = false;

  constructor(trust: Trust, threads: number) {
    this.#trust = trust;
    this.#threads = threads;
    this.#lanes = Array.from({ length: threads }, () => undefined);
  }

  /** Judges one submission; rejects with the StatementError the route answers. */
  accept(body: Buffer, now: Date): Promise<AcceptedSubmission> {
    if (this.#threads === 0 || this.#closed) {
      try {
        return Promise.resolve(acceptSubmission(body, this.#trust, now));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const lane = this.#leastBusy();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      lane.pending.set(id, { resolve, reject });
      const job: AcceptJob = { id, body, now: now.getTime() };
      lane.worker.postMessage(job);
    });
  }

  /** Stops the workers; submissions still in flight are answered as internal errors. */
  async close(): Promise<void> {
    this.#closed = true;
    const lanes = this.#lanes.filter((l): l is Lane => l !== undefined);
    this.#lanes.fill(undefined);
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }

  #leastBusy(): Lane {
    let best: Lane | undefined;
    for (let i = 0; i < this.#lanes.length; i += 1) {
      let lane = this.#lanes[i];
      if (lane === undefined || lane.gone) {
        lane = this.#start();
        this.#lanes[i] = lane;
      }
      if (best === undefined || lane.pending.size < best.pending.size) best = lane;
    }
    if (best === undefined) throw new Error('a statement pool without threads has no lanes');
    return best;
  }

  #start(): Lane {
    const worker = startWorker({ trust: trustToTransfer(this.#trust) });
    // A server that is not closed must still let the process exit.
    worker.unref();
    const lane: Lane = { worker, pending: new Map(), gone: false };
    worker.on('message', (reply: AcceptReply) => {
      const waiting = lane.pending.get(reply.id);
      if (waiting === undefined) return;
      lane.pending.delete(reply.id);
      if ('accepted' in reply) waiting.resolve(reviveAccepted(reply.accepted));
      else if ('refused' in reply) waiting.reject(refusalError(reply.refused));
      else waiting.reject(new Error(`judging a statement failed: ${reply.failed}`));
    });
    const fail = (error: Error): void => {
      lane.gone = true;
      for (const waiting of lane.pending.values()) waiting.reject(error);
      lane.pending.clear();
    };
    worker.on('error', (error) => {
      fail(new Error(`a statement-verifying thread failed: ${error.message}`, { cause: error }));
    });
    worker.on('exit', () => {
      fail(new Error('a statement-verifying thread stopped'));
    });
    return lane;
  }
}

/** The error the worker threw, rebuilt on this side with its code, message and place. */
function refusalError(refused: RefusedSubmission): Error {
  const options = refused.where === undefined ? {} : { where: refused.where };
  return refused.name === 'StatementError'
    ? new StatementError(refused.code as StatementErrorCode, refused.message, options)
    : new NospyError(refused.code, refused.message, options);
}
