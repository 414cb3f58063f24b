import { Option, type Command } from 'commander';
import { EVIDENCE_FORMAT } from '../../statements/evidence-format.js';
import type { CommandContext } from '../context.js';
import type { VerifyOptions } from './bundle-run.js';

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
        await (await import('./bundle-run.js')).runBundle(ctx, file, opts);
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
    .action(async (file: string, opts: VerifyOptions) => {
      await (await import('./bundle-run.js')).runBundleVerify(ctx, file, opts);
    });
}

/**
 * A finding (file or object) has its own shape; absence and inconsistency evidence say their
 * `type`; anything else is read as a bundle.
 */
