// The work of `nospy blob`'s commands, loaded only when one of them runs (blob.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BlobClient, type BlobUploader } from '../../blobs/client.js';
import { writeFileAtomically } from '../../statements/files.js';
import { CliError } from '../errors.js';
import { printResult, type CommandContext } from '../context.js';
import { readSigner } from './key-file.js';

export interface PutOptions {
  server: string;
  key?: string;
  token?: string;
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

export async function runBlobPut(
  ctx: CommandContext,
  files: string[],
  opts: PutOptions,
): Promise<void> {
  const uploader = uploaderOf(ctx, opts);
  const client = new BlobClient(opts.server);
  const rows: { file: string; digest: string; created: boolean }[] = [];
  for (const file of files) {
    const bytes = readFileSync(resolve(ctx.cwd, file));
    const put = await client.put(bytes, uploader);
    rows.push({ file, ...put });
  }
  printResult(ctx, { blobs: rows }, () => rows.map((r) => `${r.digest}  ${r.file}`).join('\n'));
}

export async function runBlobGet(
  ctx: CommandContext,
  digest: string,
  opts: { server: string; out?: string },
): Promise<void> {
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
}
