import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import type { SignOptions, PublishOptions } from './statement-run.js';

/**
 * The --sbom and --mud files hashed (and uploaded first when --server is given, so the
 * statement never names a document the store lacks).
 */
export function registerStatementCommands(program: Command, ctx: CommandContext): void {
  const statement = program
    .command('statement')
    .description('author, sign, cosign and verify signed statements (DSSE + in-toto)')
    .helpCommand(false);

  statement
    .command('sign')
    .description('turn a statement YAML file into a signed DSSE envelope')
    .requiredOption('--key <file>', 'private note key (PRIVATE+KEY+…) to sign with')
    .option('--out <env.json>', 'write the envelope here instead of stdout')
    .option(
      '--sbom <file>',
      "a release's SBOM (CycloneDX or SPDX JSON): its digest goes in sbom.digest",
    )
    .option('--mud <file>', "a release's MUD file: its digest goes in mud.digest")
    .option(
      '--server <url>',
      "also upload the --sbom and --mud files to this server's blob store, signed with --key",
    )
    .argument('<statement.yaml>', 'the statement in the authoring format')
    .action(async (file: string, opts: SignOptions) => {
      await (await import('./statement-run.js')).runStatementSign(ctx, file, opts);
    });

  statement
    .command('cosign')
    .description('add a signature to an envelope (in place unless --out)')
    .requiredOption('--key <file>', 'private note key to cosign with')
    .option('--out <env.json>', 'write the cosigned envelope here instead of in place')
    .argument('<env.json>', 'the envelope to cosign')
    .action(async (file: string, opts: { key: string; out?: string }) => {
      (await import('./statement-run.js')).runStatementCosign(ctx, file, opts);
    });

  statement
    .command('publish')
    .description('publish an envelope to a nospy server; prints its log index and leaf hash')
    .requiredOption('--server <url>', 'the nospy server (POST /v1/statements)')
    .option('--out <bundle>', 'also write the evidence bundle (envelope + tlog-proof) here')
    .option(
      '--token <token>',
      'bearer token, if the server asks for one (or NOSPY_STATEMENT_TOKEN)',
    )
    .option(
      '--timeout <seconds>',
      'give up (exit 2) when the log has not published it within this long, e.g. while its witnesses are down',
      '60',
    )
    .argument('<env.json>', 'the signed envelope')
    .action(async (file: string, opts: PublishOptions) => {
      await (await import('./statement-run.js')).runStatementPublish(ctx, file, opts);
    });

  statement
    .command('list')
    .description("list a server's logged statements (GET /v1/statements), oldest first")
    .requiredOption('--server <url>', 'the nospy server')
    .option('--type <type>', 'a predicate name (release, agreement, …) or its predicateType URI')
    .option('--vendor <name>', 'the vendor the statements name')
    .option('--subject <sha256:hex>', "a subject's digest")
    .action(async (opts: { server: string; type?: string; vendor?: string; subject?: string }) => {
      await (await import('./statement-run.js')).runStatementList(ctx, opts);
    });

  statement
    .command('verify')
    .description('verify an envelope: signatures, schema, signing rules, validity')
    .option('--trust <file>', 'trust file naming the parties and their keys')
    .option('--vkey <verifier key...>', 'verifier key(s) to check signatures with (no roles)')
    .option('--now <time>', 'judge validity periods at this RFC 3339 time (default: now)')
    .argument('<env.json>', 'the envelope to verify')
    .action(async (file: string, opts: { trust?: string; vkey?: string[]; now?: string }) => {
      (await import('./statement-run.js')).runStatementVerify(ctx, file, opts);
    });
}
