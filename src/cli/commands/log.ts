import { readBoundedFile } from '../../io/bounded-read.js';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openLog } from '../../log/open-log.js';
import { LogError } from '../../log/errors.js';
import { MAX_ENTRY_BYTES } from '../../tlog/tiles.js';
import { configFlags } from '../config-flags.js';
import { openLogStore, storeLocationOf } from '../log-store.js';
import { printResult, type CommandContext } from '../context.js';
import { readSigner } from './key-file.js';
import { registerLogVerifyCommand } from './log-verify.js';

/** `nospy log add` (append without a server) and `nospy log verify` (monitor a log). */
export function registerLogCommands(program: Command, ctx: CommandContext): void {
  const log = program
    .command('log')
    .description('append to a local log, or monitor a remote one')
    .helpCommand(false);
  log
    .command('add')
    .description(
      'append each file as one entry to the log in --data (no server); prints "<file>: appended as entry <N>" per file',
    )
    .option('--data <dir>', 'data directory holding nospy.db (config: data)')
    .option('--store <url>', 'sqlite:<dir>, a directory, or postgres://… (config: store.url)')
    .requiredOption('--log-key <file>', 'the log private key (PRIVATE+KEY+…)')
    .argument('<file...>', 'files to append, each one entry of at most 65,535 bytes')
    .action(async (files: string[], opts: { data?: string; store?: string; logKey: string }) => {
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
    });
  registerLogVerifyCommand(log, ctx);
}

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
