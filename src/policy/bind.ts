/**
 * Rules whose dates hang on an event: a pack declares the event as a parameter
 * (`list_published: {type: date}`) and computes dates from it (`by: list_published + 36 months`).
 * Binding gives each such rule its days from the assumed values (`--assume
 * list_published=2027-03-01`); a rule whose parameter is not assumed is set aside as pending --
 * "not yet applicable", with what it waits for -- instead of being evaluated. Pure.
 */
import type { Day } from '../inventory/day.js';
import { resolveDate } from './dates.js';
import { PolicyError } from './errors.js';
import type { CompiledPack, CompiledRule, ParametricDates } from './model.js';
import type { RuleStatus } from './schema.js';

/** A rule that cannot be evaluated until its parameters are known. */
export interface PendingRule {
  readonly pack: string;
  readonly rule: string;
  readonly title: string | undefined;
  readonly status: RuleStatus;
  /** The parameters it waits for, with what each one is. */
  readonly waitsFor: readonly { readonly parameter: string; readonly says: string }[];
}

/** Assumed values of pack parameters, by name. */
export type Assumptions = ReadonlyMap<string, Day>;

export const NO_ASSUMPTIONS: Assumptions = new Map();

/**
 * The packs with every parametric rule either bound to the assumed days or taken out and listed
 * as pending. Throws POLICY_ASSUMPTION_INVALID for an assumption no pack declares.
 */
export function bindPacks(
  packs: readonly CompiledPack[],
  assumptions: Assumptions,
): { packs: CompiledPack[]; pending: PendingRule[] } {
  const declared = new Set(packs.flatMap((p) => Object.keys(p.parameters)));
  for (const name of assumptions.keys()) {
    if (!declared.has(name)) {
      throw new PolicyError(
        'POLICY_ASSUMPTION_INVALID',
        `--assume ${name}: no pack given declares a parameter '${name}'${declared.size === 0 ? '' : ` (declared: ${[...declared].sort().join(', ')})`}`,
        { where: '--assume' },
      );
    }
  }
  const pending: PendingRule[] = [];
  const bound = packs.map((pack) => {
    if (!pack.rules.some((r) => r.parametric !== undefined)) return pack;
    const rules: CompiledRule[] = [];
    for (const rule of pack.rules) {
      if (rule.parametric === undefined) {
        rules.push(rule);
        continue;
      }
      const missing = rule.waitsFor.filter((name) => !assumptions.has(name));
      if (missing.length === 0) {
        rules.push(bindRule(rule, rule.parametric, assumptions));
      } else if (rule.enabled) {
        pending.push({
          pack: pack.id,
          rule: rule.id,
          title: rule.title,
          status: rule.status,
          waitsFor: missing.map((parameter) => ({
            parameter,
            says: pack.parameters[parameter]?.says ?? '',
          })),
        });
      }
    }
    return { ...pack, rules };
  });
  return { packs: bound, pending };
}

/** The rule with its parametric dates resolved (a range collapses when both ends agree). */
function bindRule(
  rule: CompiledRule,
  parametric: ParametricDates,
  assumptions: Assumptions,
): CompiledRule {
  const days: Record<string, Day | undefined> = {};
  for (const [field, spec] of Object.entries(parametric)) {
    days[field] = resolveDate(spec, assumptions);
  }
  const { parametric: _resolved, ...rest } = rule;
  const out: Record<string, unknown> = { ...rest, ...days };
  // A range whose two ends resolve to one day is no range.
  const same = (name: string): boolean =>
    out[`${name}Latest`] !== undefined && out[`${name}Latest`] === out[name];
  const { byLatest, effectiveLatest, afterLatest, fromLatest, ...certain } = out;
  return {
    ...certain,
    ...(same('by') ? {} : { byLatest }),
    ...(same('effective') ? {} : { effectiveLatest }),
    ...(same('after') ? {} : { afterLatest }),
    ...(same('from') ? {} : { fromLatest }),
  } as unknown as CompiledRule;
}
