// The work of `nospy bundle`'s commands, loaded only when one of them runs (bundle.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { resolve } from 'node:path';
import {
  formatBundle,
  parseBundle,
  verifyBundle,
  type BundleVerification,
} from '../../statements/bundle.js';
import { StatementClient } from '../../statements/client.js';
import {
  loadTrustFile,
  readBounded,
  readEnvelopeFile,
  writeFileAtomically,
} from '../../statements/files.js';
import type { AbsenceCheck } from '../../statements/absence-checks.js';
import {
  isAbsenceDocument,
  MAX_ABSENCE_BYTES,
  parseAbsence,
} from '../../statements/absence-evidence.js';
import { verifyAbsence, type AbsenceVerification } from '../../statements/absence.js';
import { checkAbsenceInLog } from '../../statements/absence-log.js';
import { openLogSource, isLogUrl } from '../../log/verify/open-log-source.js';
import { isPostgresUrl } from '../../store/store-url.js';
import {
  isInconsistencyDocument,
  MAX_INCONSISTENCY_BYTES,
  parseInconsistency,
} from '../../log/consistency/inconsistency-evidence.js';
import {
  inconsistencyHuman,
  inconsistencyJson,
  verifyInconsistencyFile,
} from './verify-inconsistency.js';
import type { Trust } from '../../statements/trust.js';
import { isFindingDocument, MAX_FINDING_BYTES } from '../../check/finding-file.js';
import { findingHuman, findingJson, verifyFindingFile } from './verify-finding.js';
import { CliError } from '../errors.js';
import { printResult, type CommandContext } from '../context.js';
import { parseNow } from '../now-option.js';
import { sigstoreBundleOf } from './sigstore-bundle.js';
import { isSigstoreBundleDocument, parseSigstoreBundle } from '../../statements/sigstore/bundle.js';
import { verifySigstoreBundle } from '../../statements/sigstore/verify.js';

function documentType(
  bytes: Buffer,
): 'finding' | 'absence' | 'log-inconsistency' | 'sigstore' | 'bundle' {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'bundle';
  }
  if (isFindingDocument(json)) return 'finding';
  if (isAbsenceDocument(json)) return 'absence';
  if (isInconsistencyDocument(json)) return 'log-inconsistency';
  if (isSigstoreBundleDocument(json)) return 'sigstore';
  return 'bundle';
}

export interface AbsenceResult {
  readonly valid: boolean;
  readonly verification: AbsenceVerification;
  readonly checks: readonly AbsenceCheck[];
  readonly log: string | undefined;
}

async function verifyAbsenceFile(
  bytes: Buffer,
  trust: Trust,
  now: Date,
  log: string | undefined,
  cwd: string,
): Promise<AbsenceResult> {
  const evidence = parseAbsence(bytes);
  const verification = verifyAbsence(evidence, trust, { now });
  const checks: AbsenceCheck[] = [...verification.checks];
  let described: string | undefined;
  if (log !== undefined) {
    const location = isLogUrl(log) || isPostgresUrl(log) ? log : resolve(cwd, log);
    if (verification.checkpoint === undefined) {
      checks.push({
        id: 'complete',
        status: 'fail',
        message: 'the checkpoint does not verify, so the log copy cannot be checked against it',
      });
    } else {
      const source = await openLogSource(location);
      described = source.description;
      try {
        checks.push(
          ...(await checkAbsenceInLog(evidence, verification.checkpoint, source, trust, { now })),
        );
      } finally {
        await source.close();
      }
    }
  } else {
    checks.push({
      id: 'complete',
      status: 'skip',
      message:
        'not checked: only a copy of the log (--log) shows that no release outside the list names the digest',
    });
  }
  return {
    valid: checks.every((c) => c.status !== 'fail'),
    verification,
    checks,
    log: described,
  };
}

function absenceJson(file: string, result: AbsenceResult): unknown {
  const cp = result.verification.checkpoint;
  return {
    file,
    valid: result.valid,
    evidence: 'absence',
    digest: result.verification.digest,
    vendor: result.verification.vendor ?? null,
    complete: result.checks.some((c) => c.id === 'complete' && c.status === 'pass'),
    log: result.log ?? null,
    checkpoint:
      cp === undefined
        ? null
        : { origin: cp.origin, size: cp.size, rootHash: cp.rootHash.toString('base64') },
    checks: result.checks,
    failed: [...new Set(result.checks.filter((c) => c.status === 'fail').map((c) => c.id))],
  };
}

function absenceHuman(file: string, result: AbsenceResult): string {
  const failed = [...new Set(result.checks.filter((c) => c.status === 'fail').map((c) => c.id))];
  const complete = result.checks.some((c) => c.id === 'complete' && c.status === 'pass');
  const head = result.valid
    ? `${file}: valid absence evidence: no listed release of ${result.verification.vendor ?? '?'} names ${result.verification.digest}${complete ? ', and the log copy holds no other release naming it' : ' (completeness not checked: give --log)'}`
    : `${file}: NOT valid: failed ${failed.join(', ')}`;
  return [head, ...result.checks.map((c) => `  ${MARK[c.status]} ${c.id}: ${c.message}`)].join(
    '\n',
  );
}

function toJson(file: string, result: BundleVerification): unknown {
  return {
    file,
    valid: result.valid,
    index: result.index ?? null,
    predicate: result.predicate ?? null,
    checkpoint:
      result.checkpoint === undefined
        ? null
        : {
            origin: result.checkpoint.origin,
            size: result.checkpoint.size,
            rootHash: result.checkpoint.rootHash.toString('base64'),
          },
    checks: result.checks,
    failed: result.checks.filter((c) => c.status === 'fail').map((c) => c.id),
  };
}

const MARK = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' } as const;

function human(file: string, result: BundleVerification): string {
  const failed = result.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const head = result.valid
    ? `${file}: valid evidence: ${result.predicate ?? ''} statement at log index ${result.index ?? '?'}`
    : `${file}: NOT valid: failed ${[...new Set(failed)].join(', ')}`;
  return [head, ...result.checks.map((c) => `  ${MARK[c.status]} ${c.id}: ${c.message}`)].join(
    '\n',
  );
}

export async function runBundle(
  ctx: CommandContext,
  file: string,
  opts: { server: string; out: string; format: string; signer?: string },
): Promise<void> {
  const envelope = readEnvelopeFile(resolve(ctx.cwd, file));
  const client = new StatementClient(opts.server);
  if (opts.format === 'sigstore') {
    const written = await sigstoreBundleOf(client, envelope, opts.signer);
    writeFileAtomically(resolve(ctx.cwd, opts.out), Buffer.from(written.text));
    printResult(
      ctx,
      {
        file: opts.out,
        format: 'sigstore',
        index: written.index,
        entryIndex: written.entryIndex,
        signer: written.signer,
      },
      () =>
        `Sigstore bundle for log index ${written.index} (signature by ${written.signer}, Sigstore entry ${written.entryIndex}) written to ${opts.out}`,
    );
    return;
  }
  if (opts.signer !== undefined) {
    throw new CliError('CLI_USAGE', '--signer is for --format sigstore');
  }
  const found = await client.find(envelope);
  writeFileAtomically(
    resolve(ctx.cwd, opts.out),
    Buffer.from(formatBundle({ envelope, proof: found.proof })),
  );
  printResult(
    ctx,
    { file: opts.out, index: found.index, leafHash: found.leafHash },
    () => `bundle for log index ${found.index} written to ${opts.out}`,
  );
}

/** The options of `nospy verify` (bundle.ts). */
export interface VerifyOptions {
  trust: string;
  now?: string;
  log?: string;
  blobs?: string;
  pack: string[];
  flows: string[];
}

export async function runBundleVerify(
  ctx: CommandContext,
  file: string,
  opts: VerifyOptions,
): Promise<void> {
  const now = opts.now === undefined ? new Date() : parseNow(opts.now);
  const trust = loadTrustFile(resolve(ctx.cwd, opts.trust));
  const bytes = readBounded(
    resolve(ctx.cwd, file),
    Math.max(MAX_ABSENCE_BYTES, MAX_INCONSISTENCY_BYTES, MAX_FINDING_BYTES),
    'evidence',
  );
  const type = documentType(bytes);
  if (type === 'finding') {
    if (opts.log !== undefined) {
      throw new CliError(
        'CLI_USAGE',
        '--log checks the completeness of absence evidence: give it the absence part of the finding',
      );
    }
    const result = await verifyFindingFile(bytes, trust, {
      now: opts.now === undefined ? undefined : now,
      blobs: opts.blobs,
      packs: opts.pack,
      flows: opts.flows,
      cwd: ctx.cwd,
    });
    if (!result.valid) ctx.exitCode = 1;
    printResult(ctx, findingJson(file, result), () => findingHuman(file, result));
    return;
  }
  if (opts.blobs !== undefined || opts.pack.length > 0) {
    throw new CliError('CLI_USAGE', '--blobs and --pack are for finding evidence files');
  }
  if (type === 'log-inconsistency') {
    if (opts.log !== undefined) {
      throw new CliError(
        'CLI_USAGE',
        '--log checks the completeness of absence evidence; a proof of inconsistency needs no log',
      );
    }
    const result = verifyInconsistencyFile(parseInconsistency(bytes), trust);
    if (!result.valid) ctx.exitCode = 1;
    printResult(ctx, inconsistencyJson(file, result), () => inconsistencyHuman(file, result));
    return;
  }
  if (type === 'absence') {
    const result = await verifyAbsenceFile(bytes, trust, now, opts.log, ctx.cwd);
    if (!result.valid) ctx.exitCode = 1;
    printResult(ctx, absenceJson(file, result), () => absenceHuman(file, result));
    return;
  }
  if (opts.log !== undefined) {
    throw new CliError(
      'CLI_USAGE',
      '--log checks the completeness of absence evidence; this file is an evidence bundle',
    );
  }
  const result =
    type === 'sigstore'
      ? verifySigstoreBundle(parseSigstoreBundle(bytes), trust, { now })
      : verifyBundle(parseBundle(bytes), trust, { now });
  if (!result.valid) ctx.exitCode = 1;
  printResult(ctx, toJson(file, result), () => human(file, result));
}
