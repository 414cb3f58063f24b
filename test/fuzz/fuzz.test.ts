/**
 * The bounded fuzz pass of `npm test`: every target, a fixed number of mutated inputs from a fixed
 * seed (reproducible), each in a worker with a heap limit and a per-input deadline. The long run
 * is `npm run fuzz -- --minutes N` (test/fuzz/run.ts).
 */
import { describe, expect, it } from 'vitest';
import { runFuzzJob } from './fuzz-runner.js';
import { TARGETS } from './targets.js';

/** Inputs per target in `npm test`: the whole pass stays well under a minute. */
const RUNS = 50;

describe('fuzzing every parser that takes outside bytes', () => {
  it(`meets no crash, hang or memory blow-up in ${RUNS} mutated inputs per target`, async () => {
    const targets = TARGETS.map((t) => t.name);
    // One worker for all targets: starting one costs more than the inputs of a target.
    const result = await runFuzzJob({ targets, runs: RUNS, seed: 20261207 });
    expect(result.failure, `${result.target}: ${result.failure?.detail ?? ''}`).toBeUndefined();
    expect(result.runs).toBe(RUNS * targets.length);
  }, 300_000);
});
