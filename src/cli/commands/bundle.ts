import type { Command } from 'commander';
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
import { MAX_BUNDLE_BYTES } from '../../statements/bundle.js';
import { printResult, type CommandContext } from '../context.js';
import { parseNow } from '../now-option.js';

/** `nospy bundle` (fetch an evidence bundle) and `nospy verify` (check one offline). */
export function registerBundleCommands(program: Command, ctx: CommandContext): void {
  program
    .command('bundle')
    .description(
      'write the evidence bundle (envelope + tlog-proof + checkpoint) of a published envelope',
    )
    .requiredOption('--server <url>', 'the nospy server the envelope was published to')
    .requiredOption('--out <file>', 'where to write the bundle')
    .argument('<env.json>', 'the published envelope')
    .action(async (file: string, opts: { server: string; out: string }) => {
      const envelope = readEnvelopeFile(resolve(ctx.cwd, file));
      const found = await new StatementClient(opts.server).find(envelope);
      writeFileAtomically(
        resolve(ctx.cwd, opts.out),
        Buffer.from(formatBundle({ envelope, proof: found.proof })),
      );
      printResult(
        ctx,
        { file: opts.out, index: found.index, leafHash: found.leafHash },
        () => `bundle for log index ${found.index} written to ${opts.out}`,
      );
    });

  program
    .command('verify')
    .description(
      'verify an evidence bundle offline: signatures, rules, checkpoint, witnesses, inclusion',
    )
    .requiredOption('--trust <file>', 'trust file: parties, log key, witnesses and quorum')
    .option('--now <time>', 'judge validity periods at this RFC 3339 time (default: now)')
    .argument('<bundle>', 'the evidence bundle (nospy-evidence/v1)')
    .action((file: string, opts: { trust: string; now?: string }) => {
      const now = opts.now === undefined ? new Date() : parseNow(opts.now);
      const trust = loadTrustFile(resolve(ctx.cwd, opts.trust));
      const bytes = readBounded(resolve(ctx.cwd, file), MAX_BUNDLE_BYTES, 'evidence bundle');
      const result = verifyBundle(parseBundle(bytes), trust, { now });
      if (!result.valid) ctx.exitCode = 1;
      printResult(ctx, toJson(file, result), () => human(file, result));
    });
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
