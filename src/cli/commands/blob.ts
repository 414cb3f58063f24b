import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { BlobClient, type BlobUploader } from '../../blobs/client.js';
import { writeFileAtomically } from '../../statements/files.js';
import { CliError } from '../errors.js';
import { printResult, type CommandContext } from '../context.js';
import { readSigner } from './key-file.js';

interface PutOptions {
  server: string;
  key?: string;
  token?: string;
}

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
      const uploader = uploaderOf(ctx, opts);
      const client = new BlobClient(opts.server);
      const rows: { file: string; digest: string; created: boolean }[] = [];
      for (const file of files) {
        const bytes = readFileSync(resolve(ctx.cwd, file));
        const put = await client.put(bytes, uploader);
        rows.push({ file, ...put });
      }
      printResult(ctx, { blobs: rows }, () => rows.map((r) => `${r.digest}  ${r.file}`).join('\n'));
    });
  blob
    .command('get')
    .description('download a blob by digest, checked against it; to --out or stdout')
    .requiredOption('--server <url>', 'the nospy server (GET /v1/blobs/sha256:<hex>)')
    .option('--out <file>', 'write the blob here instead of stdout')
    .argument('<digest>', 'sha256:<64 hex>')
    .action(async (digest: string, opts: { server: string; out?: string }) => {
      const bytes = await new BlobClient(opts.server).get(digest);
      if (opts.out === undefined) {
        ctx.stdout.write(bytes);
        return;
      }
      writeFileAtomically(resolve(ctx.cwd, opts.out), bytes);
      printResult(
        ctx,
        { digest, file: opts.out, bytes: bytes.length },
        () => `${digest}  ${opts.out ?? ''}`,
      );
    });
}

/** The uploader: a key (signature over each digest) or a token; exactly one. */
export function uploaderOf(
  ctx: CommandContext,
  opts: { key?: string; token?: string },
): BlobUploader {
  const token = opts.token ?? (ctx.env.NOSPY_SUBMIT_TOKEN || undefined);
  if (opts.key !== undefined) return { signer: readSigner(ctx.cwd, opts.key) };
  if (token !== undefined) return { token };
  throw new CliError('CLI_USAGE', 'give --key <vendor key file> (or an operator --token)');
}
