import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import type { PutOptions } from './blob-run.js';

/**
 * `nospy blob put|get`: a vendor uploads its SBOM and MUD files to a server's blob store, signed
 * with its key (no hand-made signature header); anyone downloads a blob by digest, checked.
 */
export function registerBlobCommands(program: Command, ctx: CommandContext): void {
  const blob = program
    .command('blob')
    .description(
      "upload files to a server's blob store (signed as a vendor) and download them by digest",
    )
    .helpCommand(false);
  blob
    .command('put')
    .description(
      'upload each file, signed with --key (or with an operator --token); prints each digest',
    )
    .requiredOption('--server <url>', 'the nospy server (PUT /v1/blobs/sha256:<hex>)')
    .option(
      '--key <file>',
      "the uploader's private key: a vendor (or evaluator) of the server's trust file",
    )
    .option(
      '--token <token>',
      "an operator's submit token instead of a key (or NOSPY_SUBMIT_TOKEN)",
    )
    .argument('<file...>', 'files to upload (SBOMs, MUD files)')
    .action(async (files: string[], opts: PutOptions) => {
      await (await import('./blob-run.js')).runBlobPut(ctx, files, opts);
    });
  blob
    .command('get')
    .description('download a blob by digest, checked against it; to --out or stdout')
    .requiredOption('--server <url>', 'the nospy server (GET /v1/blobs/sha256:<hex>)')
    .option('--out <file>', 'write the blob here instead of stdout')
    .argument('<digest>', 'sha256:<64 hex>')
    .action(async (digest: string, opts: { server: string; out?: string }) => {
      await (await import('./blob-run.js')).runBlobGet(ctx, digest, opts);
    });
}
