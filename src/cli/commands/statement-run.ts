// The work of `nospy statement`'s commands, loaded only when one of them runs (statement.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { keyHandle } from '../../tlog/note-key.js';
import { serializeEnvelope, type Envelope } from '../../statements/dsse.js';
import {
  loadPrivateKeyFile,
  loadStatementFile,
  loadTrustFile,
  readEnvelopeFile,
  writeFileAtomically,
} from '../../statements/files.js';
import { signStatement, cosignStatement } from '../../statements/sign.js';
import { trustFromVerifierKeys } from '../../statements/trust.js';
import { verifyStatement, type StatementVerification } from '../../statements/verify.js';
import { CliError } from '../errors.js';
import { printResult, type CommandContext } from '../context.js';
import { resolve } from 'node:path';
import { StatementClient, type ListedStatement } from '../../statements/client.js';
import { formatBundle } from '../../statements/bundle.js';
import { parseNow } from '../now-option.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BlobClient } from '../../blobs/client.js';
import type { ReleaseDocuments } from '../../statements/authoring.js';
import type { NoteSigner } from '../../tlog/note-key.js';
import { toInt } from '../config-flags.js';

export interface SignOptions {
  key: string;
  out?: string;
  sbom?: string;
  mud?: string;
  server?: string;
}

async function releaseDocuments(
  ctx: CommandContext,
  opts: SignOptions,
  signer: NoteSigner,
): Promise<ReleaseDocuments | undefined> {
  if (opts.sbom === undefined && opts.mud === undefined) {
    if (opts.server !== undefined) {
      throw new CliError('CLI_USAGE', '--server uploads the --sbom and --mud files: give one');
    }
    return undefined;
  }
  const client = opts.server === undefined ? undefined : new BlobClient(opts.server);
  const hashed = async (name: string): Promise<{ sha256: string; bytes: Buffer }> => {
    const bytes = readFileSync(at(ctx, name));
    if (client !== undefined) {
      const put = await client.put(bytes, { signer });
      ctx.stderr.write(`uploaded ${name}: ${put.digest}\n`);
    }
    return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
  };
  const inBlobStore = client !== undefined;
  const sbom = opts.sbom === undefined ? undefined : await hashed(opts.sbom);
  const mud = opts.mud === undefined ? undefined : await hashed(opts.mud);
  return {
    ...(sbom === undefined
      ? {}
      : { sbom: { sha256: sbom.sha256, format: sbomFormatOf(sbom.bytes), inBlobStore } }),
    ...(mud === undefined ? {} : { mud: { sha256: mud.sha256, inBlobStore } }),
  };
}

/** SPDX JSON carries `spdxVersion`; anything else is taken as CycloneDX (`bomFormat`). */
function sbomFormatOf(bytes: Buffer): 'cyclonedx' | 'spdx' {
  return /"spdxVersion"\s*:/.test(bytes.subarray(0, 64 * 1024).toString('utf8'))
    ? 'spdx'
    : 'cyclonedx';
}

export interface PublishOptions {
  server: string;
  out?: string;
  token?: string;
  timeout: string;
}

function at(ctx: CommandContext, file: string): string {
  return resolve(ctx.cwd, file);
}

function emit(
  ctx: CommandContext,
  envelope: Envelope,
  out: string | undefined,
  done: string,
): void {
  const bytes = Buffer.concat([serializeEnvelope(envelope), Buffer.from('\n')]);
  if (out === undefined) {
    ctx.stdout.write(bytes);
    return;
  }
  writeFileAtomically(at(ctx, out), bytes);
  printResult(
    ctx,
    { file: out, signatures: envelope.signatures.map((s) => s.keyid) },
    () => `${done}: ${out}`,
  );
}

function toJson(file: string, result: StatementVerification): unknown {
  return {
    file,
    valid: result.valid,
    predicate: result.predicate ?? null,
    predicateType: result.statement?.predicateType ?? null,
    signers: result.signers,
    checks: result.checks,
  };
}

const MARK = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' } as const;

function human(file: string, result: StatementVerification): string {
  const head = result.valid
    ? `${file}: valid ${result.predicate ?? ''} statement`
    : `${file}: NOT valid`;
  return [head, ...result.checks.map((c) => `  ${MARK[c.status]} ${c.id}: ${c.message}`)].join(
    '\n',
  );
}

export async function runStatementSign(
  ctx: CommandContext,
  file: string,
  opts: SignOptions,
): Promise<void> {
  const signer = loadPrivateKeyFile(at(ctx, opts.key));
  const documents = await releaseDocuments(ctx, opts, signer);
  const authored = loadStatementFile(at(ctx, file), documents);
  const envelope = signStatement(authored.statement, signer);
  emit(ctx, envelope, opts.out, `signed ${authored.name} statement with ${keyHandle(signer)}`);
}

export function runStatementCosign(
  ctx: CommandContext,
  file: string,
  opts: { key: string; out?: string },
): void {
  const signer = loadPrivateKeyFile(at(ctx, opts.key));
  const envelope = cosignStatement(readEnvelopeFile(at(ctx, file)), signer);
  emit(ctx, envelope, opts.out ?? file, `cosigned with ${keyHandle(signer)}`);
}

export async function runStatementPublish(
  ctx: CommandContext,
  file: string,
  opts: PublishOptions,
): Promise<void> {
  const envelope = readEnvelopeFile(at(ctx, file));
  const token = opts.token ?? (ctx.env.NOSPY_STATEMENT_TOKEN || undefined);
  const published = await new StatementClient(opts.server, { token }).publish(envelope, {
    timeoutMs: toInt('--timeout', opts.timeout) * 1000,
    // Progress on stderr: stdout carries only the result, and a CI log shows why it waits.
    onWaiting: (w) => {
      const failed = w.failed.map((f) => `${f.name} at ${f.url}: ${f.reason}`).join('; ');
      ctx.stderr.write(
        `waiting for witness cosignatures: ${w.cosigned}/${w.quorum}${failed === '' ? '' : ` (${failed})`}\n`,
      );
    },
  });
  if (opts.out !== undefined) {
    writeFileAtomically(
      at(ctx, opts.out),
      Buffer.from(formatBundle({ envelope: published.envelope, proof: published.proof })),
    );
  }
  printResult(
    ctx,
    { index: published.index, leafHash: published.leafHash, bundle: opts.out ?? null },
    () =>
      `index ${published.index}\nleaf hash ${published.leafHash}${
        opts.out === undefined ? '' : `\nbundle ${opts.out}`
      }`,
  );
}

export async function runStatementList(
  ctx: CommandContext,
  opts: { server: string; type?: string; vendor?: string; subject?: string },
): Promise<void> {
  const client = new StatementClient(opts.server);
  const filter = {
    ...(opts.type === undefined ? {} : { type: opts.type }),
    ...(opts.vendor === undefined ? {} : { vendor: opts.vendor }),
    ...(opts.subject === undefined ? {} : { subject: opts.subject }),
  };
  const rows: ListedStatement[] = [];
  // Every page: `next` is where the following one starts; bounded by the log's size.
  for (let from: number | null = 0; from !== null;) {
    const page = await client.list({ ...filter, from, limit: 1000 });
    rows.push(...page.statements);
    from = page.next;
  }
  printResult(
    ctx,
    {
      statements: rows.map((s) => ({
        index: s.index,
        type: s.type,
        vendor: s.vendor,
        subjects: s.subjects,
        leafHash: s.leafHash,
      })),
    },
    () =>
      rows.length === 0
        ? 'no statements'
        : rows
            .map((s) => `${s.index}\t${s.type}\t${s.vendor ?? '-'}\t${s.subjects.join(',')}`)
            .join('\n'),
  );
}

export function runStatementVerify(
  ctx: CommandContext,
  file: string,
  opts: { trust?: string; vkey?: string[]; now?: string },
): void {
  if ((opts.trust === undefined) === (opts.vkey === undefined)) {
    throw new CliError('CLI_USAGE', 'give exactly one of --trust <file> or --vkey <verifier key>…');
  }
  const now = opts.now === undefined ? new Date() : parseNow(opts.now);
  const envelope = readEnvelopeFile(at(ctx, file));
  const anchor =
    opts.trust === undefined
      ? { keys: trustFromVerifierKeys(opts.vkey ?? []) }
      : loadTrustFile(at(ctx, opts.trust));
  const result = verifyStatement(envelope, anchor, { now });
  if (!result.valid) ctx.exitCode = 1;
  printResult(ctx, toJson(file, result), () => human(file, result));
}
