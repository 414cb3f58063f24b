import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

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
      async (opts: {
        trust: string;
        out: string;
        keys?: string;
        baseUrl?: string;
        validFrom?: string;
        validUntil?: string;
      }) => {
        (await import('./trusted-root-run.js')).runTrustedRoot(ctx, opts);
      },
    );
}
