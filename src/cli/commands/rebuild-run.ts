// The work of `nospy rebuild`'s commands, loaded only when one of them runs (rebuild.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { dirname, resolve } from 'node:path';
import { openBlobSource } from '../../check/gather/blobs.js';
import { attestRebuild } from '../../rebuild/attest.js';
import { uploadBlob } from '../../rebuild/blob-upload.js';
import { resolveRelease } from '../../rebuild/release-ref.js';
import { formatBundle } from '../../statements/bundle.js';
import { StatementClient } from '../../statements/client.js';
import { serializeEnvelope } from '../../statements/dsse.js';
import { loadPrivateKeyFile, loadTrustFile, writeFileAtomically } from '../../statements/files.js';
import { signStatement } from '../../statements/sign.js';
import { partyOfKey } from '../../statements/trust.js';
import { keyHandle, parseVerifierKey } from '../../tlog/note-key.js';
import { printResult, type CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { parseNow } from '../now-option.js';

export interface AttestOptions {
  key: string;
  release: string;
  image: string;
  source: string;
  sourceArchive: string;
  recipe: string;
  recipeKind: string;
  toolchain: string[];
  evaluator?: string;
  trust?: string;
  released?: string;
  server?: string;
  publish?: string;
  token?: string;
  out?: string;
  reportOut?: string;
  bundle?: string;
  now?: string;
  note?: string;
}

/** `<uri>@<commit>`: the commit follows the last `@` (an scp-like URI has one of its own). */
function parseSource(text: string): { uri: string; commit: string } {
  const at = text.lastIndexOf('@');
  const uri = text.slice(0, at);
  const commit = text.slice(at + 1);
  if (at <= 0 || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) {
    throw new CliError(
      'CLI_USAGE',
      `--source ${text}: expected <VCS URI>@<commit>, the commit 40 or 64 lowercase hex digits`,
    );
  }
  return { uri, commit };
}

function parseToolchain(items: readonly string[]): { name: string; version: string }[] {
  return items.map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1)
      throw new CliError(
        'CLI_USAGE',
        `--toolchain ${item}: expected <name>=<version> (gcc=12.2.0)`,
      );
    return { name: item.slice(0, eq), version: item.slice(eq + 1) };
  });
}

/** The evaluator party whose key this is, from the trust file (flag, else config). */
function evaluatorOf(ctx: CommandContext, vkey: string, trustFlag: string | undefined): string {
  const loaded = ctx.config();
  // A trust file from the config is relative to the config file, as everywhere else.
  const base =
    trustFlag !== undefined || loaded.file === undefined ? ctx.cwd : dirname(resolve(loaded.file));
  const file = trustFlag ?? loaded.config.trust;
  if (file === undefined)
    throw new CliError(
      'CLI_USAGE',
      'give --evaluator <name>, or --trust <file> naming the key as an evaluator',
    );
  const trust = loadTrustFile(resolve(base, file));
  const party = partyOfKey(trust, parseVerifierKey(vkey));
  if (party?.role !== 'evaluator') {
    throw new CliError(
      'CLI_USAGE',
      `${file}: the key ${vkey.split('+').slice(0, 2).join('+')} is ${party === undefined ? 'not in the trust file' : `the ${party.role} "${party.name}"`}, not an evaluator`,
    );
  }
  return party.name;
}

export async function runRebuildAttest(ctx: CommandContext, opts: AttestOptions): Promise<void> {
  const at = (file: string) => resolve(ctx.cwd, file);
  if (opts.recipeKind !== 'recipe' && opts.recipeKind !== 'container-image')
    throw new CliError(
      'CLI_USAGE',
      `--recipe-kind ${opts.recipeKind}: expected recipe or container-image`,
    );
  const signer = loadPrivateKeyFile(at(opts.key));
  const evaluator = opts.evaluator ?? evaluatorOf(ctx, signer.vkey, opts.trust);
  const source = parseSource(opts.source);
  const toolchain = parseToolchain(opts.toolchain);
  const server = opts.server ?? opts.publish;
  const release = await resolveRelease(
    /^\d+$/.test(opts.release) ? opts.release : at(opts.release),
    server,
  );
  const blobs =
    server === undefined || opts.released !== undefined ? undefined : openBlobSource(server);
  try {
    const attestation = await attestRebuild({
      evaluator,
      release,
      rebuilt: at(opts.image),
      released:
        opts.released !== undefined
          ? () => Promise.resolve(at(opts.released ?? ''))
          : blobs === undefined
            ? undefined
            : async () => {
                for (const image of release.images) {
                  const file = await blobs.file(image.sha256);
                  if (file !== undefined) return file;
                }
                return undefined;
              },
      source: { ...source, archive: at(opts.sourceArchive) },
      definition: { path: at(opts.recipe), kind: opts.recipeKind },
      toolchain,
      attestedAt: opts.now === undefined ? new Date() : parseNow(opts.now),
      ...(opts.note === undefined ? {} : { note: opts.note }),
      limits: ctx.config().config.firmware,
      reportInBlobStore: opts.publish !== undefined,
    });
    const envelope = signStatement(attestation.statement, signer);
    if (opts.reportOut !== undefined && attestation.report !== undefined)
      writeFileAtomically(at(opts.reportOut), attestation.report.bytes);
    if (opts.out !== undefined)
      writeFileAtomically(
        at(opts.out),
        Buffer.concat([serializeEnvelope(envelope), Buffer.from('\n')]),
      );
    let index: number | undefined;
    if (opts.publish !== undefined) {
      if (attestation.report !== undefined)
        await uploadBlob(opts.publish, signer, attestation.report.bytes);
      const token = opts.token ?? (ctx.env.NOSPY_STATEMENT_TOKEN || undefined);
      const published = await new StatementClient(opts.publish, { token }).publish(envelope);
      index = published.index;
      if (opts.bundle !== undefined)
        writeFileAtomically(
          at(opts.bundle),
          Buffer.from(formatBundle({ envelope: published.envelope, proof: published.proof })),
        );
    }
    const p = attestation.statement.predicate as { produced: { digest: { sha256: string } } };
    const result = {
      verdict: attestation.verdict,
      evaluator,
      release: {
        index: release.index,
        digest: `sha256:${attestation.statement.subject[0]?.digest.sha256 ?? ''}`,
      },
      produced: `sha256:${p.produced.digest.sha256}`,
      diffReport: attestation.report === undefined ? null : `sha256:${attestation.report.sha256}`,
      differences:
        attestation.report?.report.files
          .filter((f) => f.change !== 'metadata')
          .map((f) => `${f.change} ${f.path}`) ?? [],
      index: index ?? null,
      envelope: opts.out ?? null,
    };
    printResult(ctx, result, () =>
      [
        `${attestation.verdict.toUpperCase()}: release ${release.index} ${result.release.digest}`,
        `produced ${result.produced}${attestation.report === undefined ? ' (the released image, bit for bit)' : ''}`,
        ...(result.diffReport === null ? [] : [`diff report ${result.diffReport}`]),
        ...result.differences.map((d) => `  ${d}`),
        `signed by ${keyHandle(signer)} (evaluator "${evaluator}")`,
        ...(index === undefined ? [] : [`published at log index ${index}`]),
      ].join('\n'),
    );
    if (attestation.verdict === 'different') ctx.exitCode = 1;
  } finally {
    blobs?.close();
  }
}
