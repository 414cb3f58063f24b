import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import {
  EVIDENCE_FORMAT,
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
import { openLogSource, isLogUrl, isPostgresUrl } from '../../log/verify/open-log-source.js';
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

/** `nospy bundle` (fetch an evidence bundle) and `nospy verify` (check one offline). */
export function registerBundleCommands(program: Command, ctx: CommandContext): void {
  program
    .command('bundle')
    .description(
      'write the evidence bundle (envelope + tlog-proof + checkpoint) of a published envelope, or its Sigstore bundle (--format sigstore)',
    )
    .requiredOption('--server <url>', 'the nospy server the envelope was published to')
    .requiredOption('--out <file>', 'where to write the bundle')
    .addOption(
      new Option('--format <format>', 'the bundle format')
        .choices([EVIDENCE_FORMAT, 'sigstore'])
        .default(EVIDENCE_FORMAT),
    )
    .option(
      '--signer <key handle>',
      'sigstore format: the signature to bundle (name+hash), when the statement has several',
    )
    .argument('<env.json>', 'the published envelope')
    .action(
      async (
        file: string,
        opts: { server: string; out: string; format: string; signer?: string },
      ) => {
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
      },
    );

  program
    .command('verify')
    .description(
      'verify evidence offline: a finding with all its evidence (nospy check --evidence), a bundle (evidence or Sigstore: signatures, rules, checkpoint, witnesses, inclusion), a proof of absence from a finding, or a proof that a log signed two histories',
    )
    .requiredOption('--trust <file>', 'trust file: parties, log key, witnesses and quorum')
    .option('--now <time>', 'judge validity periods at this RFC 3339 time (default: now)')
    .option(
      '--log <copy>',
      "absence evidence only: a copy of the log (data directory, tiles directory or tiles URL) to check that no release at the checkpoint's size names the digest",
    )
    .option(
      '--blobs <dir|url>',
      'finding evidence only: a blob store holding the documents the file does not carry (a logged inventory)',
    )
    .option(
      '--pack <file>',
      "finding evidence only: a rule pack file to re-evaluate a logged inventory with, instead of this nospy's shipped pack of that id; repeatable",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option(
      '--flows <file|dir>',
      'finding evidence only: a flow file or flow store to compare flow samples with (by SHA-256 and offset); repeatable',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .argument(
      '<evidence>',
      'a finding file (nospy-finding/v1) or a finding object from nospy check --json, an evidence bundle (nospy-evidence/v1) or Sigstore bundle (nospy bundle --format sigstore), an absence evidence object, or log-inconsistency evidence',
    )
    .action(
      async (
        file: string,
        opts: {
          trust: string;
          now?: string;
          log?: string;
          blobs?: string;
          pack: string[];
          flows: string[];
        },
      ) => {
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
      },
    );
}

/**
 * A finding (file or object) has its own shape; absence and inconsistency evidence say their
 * `type`; anything else is read as a bundle.
 */
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

interface AbsenceResult {
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
