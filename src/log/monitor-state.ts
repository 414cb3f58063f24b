import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { z } from 'zod';
import { readBoundedText } from '../io/bounded-read.js';
import { LogError } from './errors.js';

/** What a monitor remembers of a log between runs: the last checkpoint it verified. */
export const monitorStateSchema = z.strictObject({
  origin: z.string().min(1),
  vkey: z.string().min(1),
  size: z.number().int().min(0),
  rootHash: z.string().length(44),
  checkpoint: z.string(),
  seenAt: z.string(),
});
export type MonitorState = z.infer<typeof monitorStateSchema>;

const MAX_STATE_BYTES = 1024 * 1024;

/**
 * The default state file for a log key: `$XDG_STATE_HOME/nospy/monitor/<sha256(vkey)>.json`
 * (or `~/.local/state/…`), one per log so monitoring several logs never mixes them up.
 */
export function defaultStatePath(
  env: Readonly<Record<string, string | undefined>>,
  vkey: string,
): string {
  const base =
    env.XDG_STATE_HOME !== undefined && env.XDG_STATE_HOME !== ''
      ? env.XDG_STATE_HOME
      : join(env.HOME ?? homedir(), '.local', 'state');
  const id = createHash('sha256').update(vkey).digest('hex').slice(0, 32);
  return join(base, 'nospy', 'monitor', `${id}.json`);
}

/** Reads a state file; undefined when it does not exist yet. */
export function readMonitorState(path: string): MonitorState | undefined {
  let text: string;
  try {
    text = readBoundedText(path, { maxBytes: MAX_STATE_BYTES, what: 'monitor state' });
  } catch (error) {
    if ((error as { code?: string }).code === 'INPUT_NOT_FOUND') return undefined;
    throw new LogError(
      'LOG_USAGE',
      `cannot read the monitor state ${path}: ${(error as Error).message}`,
      {
        where: path,
        cause: error,
      },
    );
  }
  try {
    return monitorStateSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new LogError(
      'LOG_USAGE',
      `the monitor state ${path} is not valid: ${(error as Error).message}`,
      {
        where: path,
        cause: error,
      },
    );
  }
}

/** Writes the state atomically: a temporary file, fsync, rename, fsync of the directory. */
export function writeMonitorState(path: string, state: MonitorState): void {
  const dir = dirname(path);
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch (error) {
    throw new LogError(
      'LOG_USAGE',
      `cannot write the monitor state ${path}: ${(error as Error).message}`,
      {
        where: path,
        cause: error,
      },
    );
  }
}
