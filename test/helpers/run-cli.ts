import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { CapturedStream, type RunResult } from './capture.js';

/**
 * Where commands keep state ($XDG_STATE_HOME, e.g. the last verified checkpoint of a log) in
 * tests: one directory per test process, never the user's home.
 */
const stateHome = mkdtempSync(join(tmpdir(), 'nospy-test-state-'));
process.on('exit', () => {
  rmSync(stateHome, { recursive: true, force: true });
});

/** Runs `nospy <argv>` in this process and returns its exit code and output. */
export async function runCli(
  argv: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<RunResult> {
  const stdout = new CapturedStream();
  const stderr = new CapturedStream();
  const code = await main(argv, {
    stdout,
    stderr,
    env: { XDG_STATE_HOME: stateHome, ...options.env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
