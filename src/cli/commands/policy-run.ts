// The work of `nospy policy`'s commands, loaded only when one of them runs (policy.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
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

export async function runPolicyCheck(
  ctx: CommandContext,
  opts: { pack: string[]; inventory: string; date: string; assume?: string[] },
): Promise<void> {
  const date = parseDateFlag('--date', opts.date);
  const assumptions = parseAssumptions(opts.assume ?? []);
  const { packs, evaluation } = await checkInventory(opts.pack, opts.inventory, date, assumptions);
  printResult(ctx, checkDocument(evaluation), () => renderCheck(evaluation, packs));
  if (hasViolation(evaluation)) ctx.exitCode = 1;
}

export async function runPolicyPlan(
  ctx: CommandContext,
  opts: { pack: string[]; inventory: string; from?: string; assume?: string[] },
): Promise<void> {
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
}

export function runPolicyPacks(ctx: CommandContext): void {
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
}

export function runPolicyLint(ctx: CommandContext, ref: string): void {
  const { problems } = lintPack(ref, loadRegistry());
  printResult(ctx, { pack: ref, problems }, () =>
    problems.length === 0
      ? `${ref}: ok`
      : problems.map((p) => `${p.where}: ${p.message}`).join('\n'),
  );
  if (problems.length > 0) ctx.exitCode = 1;
}

export async function runPolicyShares(
  ctx: CommandContext,
  opts: { inventory: string; date: string },
): Promise<void> {
  const rows = await sharesOf(opts.inventory, parseDateFlag('--date', opts.date));
  printResult(ctx, rows, () => renderShares(rows));
}
