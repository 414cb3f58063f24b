// The work of `nospy trusted root`'s commands, loaded only when one of them runs (trusted-root.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { resolve } from 'node:path';
import { loadTrustFile, writeFileAtomically } from '../../statements/files.js';
import { formatSignerKeys, formatTrustedRoot } from '../../statements/sigstore/trusted-root.js';
import { CliError } from '../errors.js';
import { printResult, type CommandContext } from '../context.js';

function time(flag: string, text: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new CliError(
      'CLI_USAGE',
      `${flag} ${text}: expected an RFC 3339 time such as 2026-06-01T00:00:00Z`,
    );
  }
  return date;
}

export function runTrustedRoot(
  ctx: CommandContext,
  opts: {
    trust: string;
    out: string;
    keys?: string;
    baseUrl?: string;
    validFrom?: string;
    validUntil?: string;
  },
): void {
  const trust = loadTrustFile(resolve(ctx.cwd, opts.trust));
  const root = formatTrustedRoot(trust, {
    baseUrl: opts.baseUrl,
    validFrom: opts.validFrom === undefined ? undefined : time('--valid-from', opts.validFrom),
    validUntil: opts.validUntil === undefined ? undefined : time('--valid-until', opts.validUntil),
  });
  writeFileAtomically(resolve(ctx.cwd, opts.out), Buffer.from(root));
  if (opts.keys !== undefined) {
    writeFileAtomically(resolve(ctx.cwd, opts.keys), Buffer.from(formatSignerKeys(trust)));
  }
  printResult(
    ctx,
    { trustedRoot: opts.out, keys: opts.keys ?? null },
    () =>
      `trusted root written to ${opts.out}${opts.keys === undefined ? '' : `, signer keys to ${opts.keys}`}`,
  );
}
