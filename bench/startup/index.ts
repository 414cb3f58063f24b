/**
 * bench/startup: how long the CLI takes to answer, beside `node -e 0` (a Node process that does
 * nothing) measured in the same run: `nospy --version` and `nospy --help` (goal: within 1.5×),
 * and each command's own `--help` (goal: within 300 ms of `node -e 0`), which loads the modules
 * that command runs on and stops where its work would begin. Best of N rounds, alternating, so
 * that a busy moment on a shared machine does not land on one side only. Runs the built CLI
 * (`npm run bench` builds first), as users run it.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/cli/command-index.js';

const ROUNDS = Number(process.env.NOSPY_BENCH_STARTUP_ROUNDS ?? '5');
const bin = fileURLToPath(new URL('../../bin/nospy.js', import.meta.url));

function once(args: readonly string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (run.status !== 0)
    throw new Error(`${args.join(' ')} exited ${String(run.status)}: ${run.stderr.toString()}`);
  return ms;
}

const lines: [string, readonly string[]][] = [
  ['nospy --version', [bin, '--version']],
  ['nospy --help', [bin, '--help']],
  ...COMMANDS.map((c): [string, readonly string[]] => [
    `nospy ${c.name} --help`,
    [bin, c.name, '--help'],
  ]),
];
const best = new Map<string, number>();
let node = Infinity;
for (let round = 0; round < ROUNDS; round += 1) {
  node = Math.min(node, once(['-e', '0']));
  for (const [name, args] of lines)
    best.set(name, Math.min(best.get(name) ?? Infinity, once(args)));
}

const out = [`node -e 0 (reference): ${node.toFixed(0)} ms (best of ${ROUNDS})`];
for (const [name] of lines) {
  const ms = best.get(name) ?? NaN;
  const goal =
    name === 'nospy --version' || name === 'nospy --help'
      ? `${(ms / node).toFixed(2)}× node -e 0 (goal ≤ 1.5×)`
      : `+${(ms - node).toFixed(0)} ms over node -e 0 (goal ≤ 300 ms)`;
  out.push(`${name.padEnd(28)} ${ms.toFixed(0).padStart(5)} ms  ${goal}`);
}
process.stdout.write(`${out.join('\n')}\n`);
