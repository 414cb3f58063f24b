/**
 * Runs a fuzz target in a worker with a heap limit, watching that each input returns within its
 * deadline. The result names what failed: a crash (anything thrown but a NospyError), a hang
 * (an input past its deadline) or memory (the worker past its heap limit), with the input.
 */
import { Worker } from 'node:worker_threads';
import type { FuzzJob, FuzzMessage } from './worker.js';

export interface FuzzLimits {
  /** The longest one input may take; the parent stops the worker past it. */
  readonly inputDeadlineMs: number;
  /** The worker's heap: a parser that grows past it fails as "memory". */
  readonly heapMb: number;
}

export const DEFAULT_FUZZ_LIMITS: FuzzLimits = { inputDeadlineMs: 20_000, heapMb: 768 };

export interface FuzzResult {
  /** The target running when the job ended (the one at fault on a failure). */
  readonly target: string;
  readonly runs: number;
  readonly failure?: { readonly kind: 'crash' | 'hang' | 'memory'; readonly detail: string };
}

export function runFuzzJob(
  job: FuzzJob,
  limits: FuzzLimits = DEFAULT_FUZZ_LIMITS,
): Promise<FuzzResult> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
    });
    let runs = 0;
    let target = job.targets[0] ?? '';
    let last: Uint8Array | undefined;
    let settled = false;
    const finish = (result: FuzzResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const lastInput = (): string =>
      last === undefined ? '(before the first input)' : Buffer.from(last).toString('base64');
    let timer = setTimeout(onHang, limits.inputDeadlineMs * 3);
    function onHang(): void {
      finish({
        target,
        runs,
        failure: {
          kind: 'hang',
          detail: `an input ran past ${limits.inputDeadlineMs} ms: ${lastInput()}`,
        },
      });
    }
    worker.on('message', (message: FuzzMessage) => {
      clearTimeout(timer);
      timer = setTimeout(onHang, limits.inputDeadlineMs);
      if (message.kind === 'target') {
        target = message.name;
      } else if (message.kind === 'input') {
        runs += 1;
        last = message.bytes;
      } else if (message.kind === 'done') {
        finish({ target, runs });
      } else {
        finish({
          target: message.target,
          runs,
          failure: { kind: 'crash', detail: `${message.message}\ninput: ${message.input}` },
        });
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      finish({
        target,
        runs,
        failure: {
          kind: memory ? 'memory' : 'crash',
          detail: `${memory ? `past the ${limits.heapMb} MB heap` : error.message}: ${lastInput()}`,
        },
      });
    });
    worker.on('exit', () => {
      finish({
        target,
        runs,
        failure: { kind: 'crash', detail: `the worker exited: ${lastInput()}` },
      });
    });
  });
}
