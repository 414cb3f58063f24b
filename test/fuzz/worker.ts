/**
 * One fuzz target run in a worker thread, so that the parent can stop a hang (a parser that
 * never returns) and bound memory (the worker's heap limit) without taking itself down. Each
 * input is posted to the parent before it runs; a crash is posted with its shrunk input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { isNospyError } from '../../src/errors/nospy-error.js';
import { mutants } from './mutate.js';
import { TARGETS } from './targets.js';

export interface FuzzJob {
  /** Target names, run one after the other in this worker. */
  readonly targets: readonly string[];
  /** Inputs per target. */
  readonly runs: number;
  readonly seed: number;
}

export type FuzzMessage =
  | { readonly kind: 'input'; readonly bytes: Uint8Array }
  | { readonly kind: 'target'; readonly name: string }
  | { readonly kind: 'done'; readonly runs: number }
  | {
      readonly kind: 'crash';
      readonly target: string;
      readonly message: string;
      readonly input: string;
    };

const job = workerData as FuzzJob;
const port = parentPort;
if (port === null) throw new Error('the fuzz worker runs in a worker thread');

const dir = mkdtempSync(join(tmpdir(), 'nospy-fuzz-'));
const scratch = join(dir, 'input');
let runs = 0;
let current = '';
try {
  for (const name of job.targets) {
    const target = TARGETS.find((t) => t.name === name);
    if (target === undefined) throw new Error(`no fuzz target ${name}`);
    current = name;
    port.postMessage({ kind: 'target', name } satisfies FuzzMessage);
    await fc.assert(
      fc.asyncProperty(mutants(target.seeds()), async (input) => {
        runs += 1;
        port.postMessage({ kind: 'input', bytes: input } satisfies FuzzMessage);
        try {
          await target.run(input, scratch);
        } catch (error) {
          // A NospyError is the parser refusing the input: what it is for.
          if (!isNospyError(error)) throw error;
        }
      }),
      { numRuns: job.runs, seed: job.seed, endOnFailure: false },
    );
  }
  // Removed before the parent hears of it: it stops this worker as soon as it does.
  rmSync(dir, { recursive: true, force: true });
  port.postMessage({ kind: 'done', runs } satisfies FuzzMessage);
} catch (error) {
  const text = error instanceof Error ? error.message : String(error);
  const counter = /Counterexample: \[(.*)\]/.exec(text)?.[1] ?? '';
  rmSync(dir, { recursive: true, force: true });
  port.postMessage({
    kind: 'crash',
    target: current,
    message: text.split('\n').slice(0, 12).join('\n'),
    input: counter.slice(0, 4000),
  } satisfies FuzzMessage);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
