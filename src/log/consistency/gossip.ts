/**
 * Checkpoints seen by others (`--gossip`): another nospy server's `/checkpoint` (whose tiles can
 * then prove consistency), a witness's cosigned checkpoint, a note or a monitor state file a
 * colleague mailed. Each must be signed by the trust file's log key — a checkpoint the log did
 * not sign proves nothing about it — and is checked against the others by `crossCheck`.
 */
import { readBoundedFile } from '../../io/bounded-read.js';
import { resolve } from 'node:path';
import { openCheckpoint } from '../../tlog/checkpoint.js';
import { decodeNote } from '../../tlog/note.js';
import { LogError } from '../errors.js';
import type { MonitorState } from '../monitor-state.js';
import { UnverifiedLogError } from '../verify/log-source.js';
import { isLogUrl } from '../verify/open-log-source.js';
import { MAX_CHECKPOINT_BYTES } from '../verify/tiles-log-source.js';
import { urlLogSource } from '../verify/url-log-source.js';
import type { LogTrust } from '../verify/verify-log.js';
import type { ObservedCheckpoint, TreeCopy } from './cross-check.js';
import { sourceTreeCopy } from './tree-copies.js';

/** A checkpoint from elsewhere, with the tree behind it when its server serves tiles. */
export interface Gossip {
  readonly seen: ObservedCheckpoint;
  readonly copy: TreeCopy | undefined;
}

/** Reads `--gossip <url|file>`; LOG_UNVERIFIED when the checkpoint is not the log's. */
export async function readGossip(location: string, trust: LogTrust, cwd: string): Promise<Gossip> {
  if (isLogUrl(location)) {
    const prefix = location.replace(/\/+$/, '').replace(/\/checkpoint$/, '');
    const source = urlLogSource(prefix);
    const note = await source.readCheckpoint();
    const seen = observe(note, `${prefix}/checkpoint`, trust);
    return { seen, copy: sourceTreeCopy(seen, source) };
  }
  const file = resolve(cwd, location);
  let bytes: Buffer;
  try {
    // Room for a checkpoint or a monitor state file, nothing more.
    bytes = readBoundedFile(file, { maxBytes: MAX_CHECKPOINT_BYTES + 4096, what: 'checkpoint' });
  } catch (error) {
    throw new LogError(
      'LOG_USAGE',
      `--gossip ${location}: cannot read it: ${(error as Error).message}`,
      {
        where: location,
        cause: error,
      },
    );
  }
  return { seen: observe(noteIn(bytes, location), file, trust), copy: undefined };
}

/** Opens a checkpoint note as the log's (any quorum: the log's own signature binds it). */
export function observe(note: string, seenBy: string, trust: LogTrust): ObservedCheckpoint {
  try {
    const opened = openCheckpoint(note, trust.logKey, { witnesses: trust.witnesses, quorum: 0 });
    return { checkpoint: note, seenBy, opened: opened.checkpoint };
  } catch (error) {
    throw new UnverifiedLogError(
      { part: 'checkpoint' },
      `the checkpoint from ${seenBy} is not one the log signed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The checkpoint in a file: a signed note, or a monitor state file's `checkpoint`. */
function noteIn(bytes: Buffer, location: string): string {
  let text: string;
  try {
    text = decodeNote(bytes);
  } catch (error) {
    throw new LogError('LOG_USAGE', `--gossip ${location}: ${(error as Error).message}`, {
      where: location,
    });
  }
  if (text.trimStart().startsWith('{')) {
    try {
      const state = JSON.parse(text) as Partial<MonitorState>;
      if (typeof state.checkpoint === 'string') return state.checkpoint;
    } catch {
      // not JSON after all: read as a note below
    }
    throw new LogError(
      'LOG_USAGE',
      `--gossip ${location}: a JSON file must be a monitor state file with a "checkpoint"`,
      { where: location },
    );
  }
  return text;
}
