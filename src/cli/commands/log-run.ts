// The work of `nospy log`'s commands, loaded only when one of them runs (log.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { readBoundedFile } from '../../io/bounded-read.js';
import { resolve } from 'node:path';
import { openLog } from '../../log/open-log.js';
import { LogError } from '../../log/errors.js';
import { MAX_ENTRY_BYTES } from '../../tlog/tiles.js';
import { configFlags } from '../config-flags.js';
import { openLogStore, storeLocationOf } from '../log-store.js';
import { printResult, type CommandContext } from '../context.js';
import { readSigner } from './key-file.js';

function readEntry(cwd: string, file: string): Buffer {
  const path = resolve(cwd, file);
  // An entry is at most 65,535 bytes (c2sp.org/tlog-tiles).
  return readBoundedFile(path, {
    maxBytes: MAX_ENTRY_BYTES,
    what: 'log entry',
    failure: (error) =>
      new LogError(
        error.code === 'INPUT_TOO_LARGE' ? 'LOG_ENTRY_TOO_LARGE' : 'LOG_USAGE',
        error.message,
        { where: file, cause: error },
      ),
  });
}

export async function runLogAdd(
  ctx: CommandContext,
  files: string[],
  opts: { data?: string; store?: string; logKey: string },
): Promise<void> {
  const { config } = ctx.config(configFlags(opts));
  const signer = readSigner(ctx.cwd, opts.logKey);
  // Read and check every file before appending any, so a bad one appends nothing.
  const entries = files.map((file) => readEntry(ctx.cwd, file));
  const store = await openLogStore(storeLocationOf(config));
  const opened = await openLog({ store, signer, logger: ctx.logger });
  try {
    const results = await Promise.all(entries.map((entry) => opened.sequencer.add(entry)));
    const rows = results.map((r, i) => ({
      file: files[i] ?? '',
      index: r.index,
      leafHash: r.leafHash.toString('hex'),
    }));
    printResult(ctx, { entries: rows, size: opened.sequencer.checkpoint.size }, () =>
      // A file whose bytes are already logged gets the index of that entry (the log de-duplicates).
      rows.map((r) => `${r.file}: appended as entry ${r.index}`).join('\n'),
    );
  } finally {
    await opened.close();
  }
}
