/**
 * The long fuzz run: `npm run fuzz -- --minutes N` (default 1). Rounds over every target, each
 * round from a new seed, until the time is up; prints the inputs run and exits 1 on the first
 * crash, hang or memory blow-up, naming the target, the seed and the input.
 */
import { parseArgs } from 'node:util';
import { runFuzzJob } from './fuzz-runner.js';
import { TARGETS } from './targets.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '1' },
    target: { type: 'string' },
    runs: { type: 'string', default: '300' },
  },
});
const minutes = Number(values.minutes);
const runsPerRound = Number(values.runs);
if (!(minutes > 0) || !(runsPerRound > 0)) {
  process.stderr.write('usage: npm run fuzz -- [--minutes N] [--target <name part>] [--runs N]\n');
  process.exit(2);
}
const targets = TARGETS.map((t) => t.name).filter(
  (name) => values.target === undefined || name.includes(values.target),
);
const until = Date.now() + minutes * 60_000;
let total = 0;
let rounds = 0;
while (Date.now() < until) {
  const seed = (Date.now() ^ (rounds * 0x9e3779b9)) >>> 0;
  const result = await runFuzzJob({ targets, runs: runsPerRound, seed });
  total += result.runs;
  rounds += 1;
  if (result.failure !== undefined) {
    process.stderr.write(
      `fuzz: ${result.failure.kind} in ${result.target} (seed ${seed}, after ${total} inputs)\n${result.failure.detail}\n`,
    );
    process.exit(1);
  }
  process.stderr.write(`fuzz: round ${rounds} (seed ${seed}): ${total} inputs, nothing found\n`);
}
process.stdout.write(
  `fuzz: ${total} inputs over ${targets.length} targets in ${rounds} rounds (${minutes} min): nothing found\n`,
);
