import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const ASSUME_HELP =
  'the day a pack parameter stands for, for a scenario (repeatable; e.g. list_published=2027-03-01); without it, rules counting from the parameter are reported as not yet applicable';

/** `nospy policy …`: government rule packs against an operator's inventory. */
export function registerPolicyCommands(program: Command, ctx: CommandContext): void {
  const policy = program
    .command('policy')
    .description('government rule packs: compliance on a date, remediation plans, vendor shares')
    .helpCommand(false);

  policy
    .command('check')
    .description('evaluate an inventory against rule packs on a date (exit 1 on a violation)')
    .requiredOption(
      '--pack <id|file>',
      'a shipped pack id, a pack file, or "all" (repeatable)',
      collect,
    )
    .requiredOption('--inventory <file>', 'inventory (YAML, JSON or CSV)')
    .requiredOption('--date <YYYY-MM-DD>', 'the day to evaluate')
    .option('--assume <name=YYYY-MM-DD>', ASSUME_HELP, collect)
    .action(
      async (opts: { pack: string[]; inventory: string; date: string; assume?: string[] }) => {
        await (await import('./policy-run.js')).runPolicyCheck(ctx, opts);
      },
    );

  policy
    .command('plan')
    .description('what must leave the network, per vendor and deadline, sorted by date')
    .requiredOption(
      '--pack <id|file>',
      'a shipped pack id, a pack file, or "all" (repeatable)',
      collect,
    )
    .requiredOption('--inventory <file>', 'inventory (YAML, JSON or CSV)')
    .option('--from <YYYY-MM-DD>', 'first day of the plan (default: today, UTC)')
    .option('--assume <name=YYYY-MM-DD>', ASSUME_HELP, collect)
    .action(
      async (opts: { pack: string[]; inventory: string; from?: string; assume?: string[] }) => {
        await (await import('./policy-run.js')).runPolicyPlan(ctx, opts);
      },
    );

  policy
    .command('packs')
    .description('list the shipped rule packs with their titles, jurisdictions and sources')
    .action(async () => {
      (await import('./policy-run.js')).runPolicyPacks(ctx);
    });

  policy
    .command('lint')
    .description('check a rule pack for malformed or contradictory rules (exit 1 on a problem)')
    .argument('<pack>', 'a shipped pack id or a pack file')
    .action(async (ref: string) => {
      (await import('./policy-run.js')).runPolicyLint(ctx, ref);
    });

  policy
    .command('shares')
    .description('vendor shares of active equipment per domain and technology on a date')
    .requiredOption('--inventory <file>', 'inventory (YAML, JSON or CSV)')
    .requiredOption('--date <YYYY-MM-DD>', 'the day to measure')
    .action(async (opts: { inventory: string; date: string }) => {
      await (await import('./policy-run.js')).runPolicyShares(ctx, opts);
    });
}
