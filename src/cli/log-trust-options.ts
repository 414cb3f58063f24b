/**
 * The log key (and witnesses and quorum) a command verifies a log against, from `--trust <file>`
 * or from `--log-vkey` with `--witness` and `--quorum`: handed in by the operator, never taken
 * from the log under test.
 */
import { resolve } from 'node:path';
import { LogError } from '../log/errors.js';
import { logTrustOf, NO_LOG_KEY_HINT } from '../log/verify/log-trust.js';
import type { LogTrust } from '../log/verify/verify-log.js';
import { loadTrustFile } from '../statements/files.js';
import { toInt } from './config-flags.js';
import type { CommandContext } from './context.js';
import { readVerifier } from './commands/key-file.js';

export interface LogTrustOptions {
  trust?: string;
  logVkey?: string;
  witness: string[];
  quorum?: string;
}

export function logTrustFromOptions(ctx: CommandContext, opts: LogTrustOptions): LogTrust {
  if (opts.trust !== undefined) {
    if (opts.logVkey !== undefined || opts.witness.length > 0 || opts.quorum !== undefined) {
      throw new LogError(
        'LOG_USAGE',
        '--trust names the log key, witnesses and quorum: give it, or --log-vkey with --witness and --quorum, not both',
      );
    }
    const trust = logTrustOf(loadTrustFile(resolve(ctx.cwd, opts.trust)));
    if (trust === undefined) {
      throw new LogError('LOG_USAGE', `${opts.trust}: ${NO_LOG_KEY_HINT}`, { where: opts.trust });
    }
    return trust;
  }
  if (opts.logVkey === undefined) {
    throw new LogError(
      'LOG_USAGE',
      'nothing to verify the log against: give --trust <file> (with a log: { key: … }) or --log-vkey <vkey>',
    );
  }
  const logKey = readVerifier(ctx.cwd, opts.logVkey);
  const witnesses = opts.witness.map((w) => readVerifier(ctx.cwd, w));
  const quorum = opts.quorum === undefined ? witnesses.length : toInt('--quorum', opts.quorum);
  if (quorum > witnesses.length) {
    throw new LogError('LOG_USAGE', `--quorum ${quorum} needs at least that many --witness keys`);
  }
  return { logKey, witnesses, quorum };
}
