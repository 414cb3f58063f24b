import { main } from '../../src/cli/main.js';
import { CapturedStream, type RunResult } from './capture.js';

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
    env: options.env ?? {},
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
