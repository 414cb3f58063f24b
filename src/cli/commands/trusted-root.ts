import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadTrustFile, writeFileAtomically } from '../../statements/files.js';
import { formatSignerKeys, formatTrustedRoot } from '../../statements/sigstore/trusted-root.js';
import { CliError } from '../errors.js';
import { printResult, type CommandContext } from '../context.js';

/**
 * `nospy trusted-root --trust <file> --out <trusted_root.json> [--keys <file>]`: what a Sigstore
 * verifier needs to check nospy's Sigstore bundles offline, derived from the trust file.
 */
export function registerTrustedRootCommands(program: Command, ctx: CommandContext): void {
  program
    .command('trusted-root')
    .description(
      "write a Sigstore trusted root (v0.2) naming the trust file's log, and the signers' keys for a Sigstore verifier",
    )
    .requiredOption('--trust <file>', 'trust file: its log key and parties')
    .requiredOption('--out <file>', 'where to write trusted_root.json')
    .option(
      '--keys <file>',
      "also write the statement signers' keys: JSON, key handle (a bundle's hint) → base64 DER SPKI",
    )
    .option(
      '--base-url <url>',
      "the log's baseUrl (default: the log's origin); it must contain the origin",
    )
    .option(
      '--valid-from <time>',
      "start of the log key's validity (default: 1970-01-01T00:00:00Z)",
    )
    .option('--valid-until <time>', "end of the log key's validity (default: none)")
    .action(
      (opts: {
        trust: string;
        out: string;
        keys?: string;
        baseUrl?: string;
        validFrom?: string;
        validUntil?: string;
      }) => {
        const trust = loadTrustFile(resolve(ctx.cwd, opts.trust));
        const root = formatTrustedRoot(trust, {
          baseUrl: opts.baseUrl,
          validFrom:
            opts.validFrom === undefined ? undefined : time('--valid-from', opts.validFrom),
          validUntil:
            opts.validUntil === undefined ? undefined : time('--valid-until', opts.validUntil),
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
      },
    );
}

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
