import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LogError } from '../../log/errors.js';
import { monitorLog } from '../../log/monitor.js';
import { defaultStatePath, readMonitorState, writeMonitorState } from '../../log/monitor-state.js';
import { toInt } from '../config-flags.js';
import { printResult, type CommandContext } from '../context.js';
import { readVerifier } from './key-file.js';

interface VerifyOptions {
  logVkey: string;
  witness: string[];
  quorum?: string;
  state?: string;
}

/** `nospy log verify <url>`: audit a log from its tiles and check it only ever grew. */
export function registerLogVerifyCommand(log: Command, ctx: CommandContext): void {
  log
    .command('verify')
    .description(
      "fetch a log's checkpoint and every tile, recompute its root, check it extends the last checkpoint seen and carries the witness quorum",
    )
    .argument('<url>', "the log's tiles prefix, e.g. http://127.0.0.1:8080")
    .requiredOption('--log-vkey <vkey>', 'the log verifier key (or a file holding it)')
    .option(
      '--witness <vkey>',
      'a witness cosignature verifier key (or file); repeatable',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option('--quorum <n>', 'witness cosignatures required (default: all given witnesses)')
    .option(
      '--state <file>',
      'where the last verified checkpoint is kept (default under $XDG_STATE_HOME/nospy/monitor)',
    )
    .action(async (url: string, opts: VerifyOptions) => {
      if (!/^https?:\/\//.test(url)) {
        throw new LogError('LOG_USAGE', `${url}: expected an http(s) URL`, { where: url });
      }
      const logVerifier = readVerifier(ctx.cwd, opts.logVkey);
      const witnesses = opts.witness.map((w) => readVerifier(ctx.cwd, w));
      const quorum = opts.quorum === undefined ? witnesses.length : toInt('--quorum', opts.quorum);
      if (quorum > witnesses.length) {
        throw new LogError(
          'LOG_USAGE',
          `--quorum ${quorum} needs at least that many --witness keys`,
        );
      }
      const statePath =
        opts.state === undefined
          ? defaultStatePath(ctx.env, logVerifier.vkey)
          : resolve(ctx.cwd, opts.state);
      const previous = readMonitorState(statePath);
      if (previous !== undefined && previous.vkey !== logVerifier.vkey) {
        throw new LogError(
          'LOG_USAGE',
          `${statePath} holds the state of another log (${previous.vkey}); use another --state file`,
        );
      }
      const report = await monitorLog({ url, logVerifier, witnesses, quorum, previous });
      // Only a fully verified view is remembered.
      writeMonitorState(statePath, report.next);
      const { next: _next, ...shown } = report;
      printResult(ctx, { ok: true, ...shown, state: statePath }, () =>
        [
          `OK ${report.origin}: size ${report.size}, root ${report.rootHash}`,
          `   ${report.tiles} tiles and ${report.entries} entries verified; ${report.cosignatures} witness cosignature(s)`,
          report.previousSize === undefined
            ? '   first run: no earlier checkpoint to compare with'
            : `   consistent with the checkpoint of size ${report.previousSize} seen before`,
        ].join('\n'),
      );
    });
}
