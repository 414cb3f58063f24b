import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import type { AttestOptions } from './rebuild-run.js';

/** `nospy rebuild attest`: an evaluator's binary-equivalence attestation of a logged release. */
export function registerRebuildCommands(program: Command, ctx: CommandContext): void {
  const rebuild = program
    .command('rebuild')
    .description('attest that the reviewed source builds a logged release (binary equivalence)')
    .helpCommand(false);
  rebuild
    .command('attest')
    .description(
      'hash the rebuild, its source archive and recipe; diff it against the released image when the\n' +
        'digests differ (the diff report is uploaded as a blob with --publish); sign the rebuild\n' +
        'statement with the evaluator key; exit 0 when equivalent, 1 when different',
    )
    .requiredOption('--key <file>', 'the evaluator private key (PRIVATE+KEY+…)')
    .requiredOption(
      '--release <index|file>',
      "the release's log index, evidence bundle or envelope",
    )
    .requiredOption('--image <file>', 'the image the evaluator built')
    .requiredOption('--source <uri@commit>', 'the VCS URI and commit built, as <uri>@<commit>')
    .requiredOption('--source-archive <file>', 'the source archive the evaluator holds')
    .requiredOption('--recipe <file>', 'the build recipe (or a container image archive)')
    .option('--recipe-kind <kind>', 'recipe | container-image', 'recipe')
    .requiredOption(
      '--toolchain <name=version...>',
      'the toolchain, e.g. gcc=12.2.0 buildroot=2024.02',
    )
    .option(
      '--evaluator <name>',
      'the evaluator party name (default: the party of --key in --trust)',
    )
    .option('--trust <file>', 'trust file, to find the evaluator party of --key')
    .option('--released <file>', 'the released image (default: fetched from the blob store)')
    .option(
      '--server <url>',
      'the nospy server to read the release and its image from (default: --publish)',
    )
    .option('--publish <url>', 'upload the diff report and publish the statement to this server')
    .option('--token <token>', 'statement bearer token, if the server asks for one')
    .option('--out <env.json>', 'write the signed envelope here')
    .option('--report-out <file>', 'write the diff report here')
    .option('--bundle <file>', 'with --publish: write the evidence bundle here')
    .option('--now <time>', 'the attestation time (default: now)')
    .option('--note <text>', 'a note in the statement')
    .action(async (opts: AttestOptions) => {
      await (await import('./rebuild-run.js')).runRebuildAttest(ctx, opts);
    });
}
