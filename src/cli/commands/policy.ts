import type { Command } from 'commander';
import { formatDay } from '../../inventory/day.js';
import { parseAssumptions } from '../../policy/assume.js';
import { lintPack, loadRegistry, shippedPackIds } from '../../policy/load.js';
import {
  assumptionsText,
  checkDocument,
  hasViolation,
  pendingDocument,
  renderCheck,
  renderPacks,
  renderPlan,
  renderShares,
} from '../../policy/report.js';
import {
  checkInventory,
  loadPacks,
  parseDateFlag,
  planInventory,
  sharesOf,
} from '../../policy/from-files.js';
import { printResult, type CommandContext } from '../context.js';

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
        const date = parseDateFlag('--date', opts.date);
        const assumptions = parseAssumptions(opts.assume ?? []);
        const { packs, evaluation } = await checkInventory(
          opts.pack,
          opts.inventory,
          date,
          assumptions,
        );
        printResult(ctx, checkDocument(evaluation), () => renderCheck(evaluation, packs));
        if (hasViolation(evaluation)) ctx.exitCode = 1;
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
        const from = parseDateFlag('--from', opts.from ?? new Date().toISOString().slice(0, 10));
        const assumptions = parseAssumptions(opts.assume ?? []);
        const plan = await planInventory(opts.pack, opts.inventory, from, assumptions);
        const days = <T extends { by: number; latest?: number }>(s: T) => ({
          ...s,
          by: formatDay(s.by),
          ...(s.latest === undefined ? {} : { latest: formatDay(s.latest) }),
        });
        const json = {
          from: formatDay(plan.from),
          removals: plan.removals.map(days),
          caps: plan.caps.map(days),
          pending: pendingDocument(plan.pending),
          ...(assumptions.size === 0 ? {} : { assumptions: assumptionsText(assumptions) }),
        };
        printResult(ctx, json, () => renderPlan(plan));
      },
    );

  policy
    .command('packs')
    .description('list the shipped rule packs with their titles, jurisdictions and sources')
    .action(() => {
      const packs = loadPacks(shippedPackIds());
      const json = packs.map((p) => ({
        id: p.id,
        title: p.title,
        jurisdiction: p.jurisdiction,
        binding: p.binding,
        status: p.status,
        parameters: Object.fromEntries(
          Object.entries(p.parameters).map(([name, parameter]) => [name, parameter.says]),
        ),
        sources: Object.values(p.sources).map((s) => s.url),
      }));
      printResult(ctx, json, () => renderPacks(packs));
    });

  policy
    .command('lint')
    .description('check a rule pack for malformed or contradictory rules (exit 1 on a problem)')
    .argument('<pack>', 'a shipped pack id or a pack file')
    .action((ref: string) => {
      const { problems } = lintPack(ref, loadRegistry());
      printResult(ctx, { pack: ref, problems }, () =>
        problems.length === 0
          ? `${ref}: ok`
          : problems.map((p) => `${p.where}: ${p.message}`).join('\n'),
      );
      if (problems.length > 0) ctx.exitCode = 1;
    });

  policy
    .command('shares')
    .description('vendor shares of active equipment per domain and technology on a date')
    .requiredOption('--inventory <file>', 'inventory (YAML, JSON or CSV)')
    .requiredOption('--date <YYYY-MM-DD>', 'the day to measure')
    .action(async (opts: { inventory: string; date: string }) => {
      const rows = await sharesOf(opts.inventory, parseDateFlag('--date', opts.date));
      printResult(ctx, rows, () => renderShares(rows));
    });
}
