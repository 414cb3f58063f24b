/**
 * Consistency checks on rules that the schema cannot express: when a rule starts and ends, and
 * whether two rules say different things about the same scope.
 */
import { formatDay } from '../inventory/day.js';
import { specText, type DateSpec } from './dates.js';
import type { PackEntity } from './model.js';
import type { RuleInput } from './schema.js';

interface RuleProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Either form of a ranged date given (`x`, or `x_month`). */
function stated(rule: RuleInput, name: 'by' | 'effective' | 'after' | 'from'): boolean {
  const r = rule as unknown as Record<string, unknown>;
  return r[name] !== undefined || r[`${name}_month`] !== undefined;
}

/** The latest day of a ranged date, when it is a day. */
function latestDay(rule: RuleInput, name: 'by' | 'effective'): number | undefined {
  const r = rule as unknown as Record<string, unknown>;
  const spec = r[name] as DateSpec | undefined;
  if (spec !== undefined) return 'day' in spec ? spec.day : undefined;
  return (r[`${name}_month`] as { latest: number } | undefined)?.latest;
}

/**
 * Forms the format no longer takes, with what replaces them: the `*_day_unverified` flags (a
 * date's uncertainty is now the range it may fall in), `unverified: true` (the reason is now
 * stated) and `by_offset` (a declared parameter and a computed date).
 */
export function retiredForms(rule: RuleInput): RuleProblem[] {
  const out: RuleProblem[] = [];
  const r = rule as unknown as Record<string, unknown>;
  for (const name of ['by', 'after', 'from'] as const) {
    if (r[`${name}_day_unverified`] === undefined) continue;
    out.push({
      path: [`${name}_day_unverified`],
      message: `${name}_day_unverified is no longer accepted: state the range the day may fall in, with ${name} as its latest reading and ${name}_earliest as its earliest (e.g. ${name}: 2023-07-31 and ${name}_earliest: 2023-07-28), or ${name}_month: YYYY-MM when only the month is known; findings are then unverified only when the evaluation day falls inside the range`,
    });
  }
  if (r.by_offset !== undefined) {
    out.push({
      path: ['by_offset'],
      message:
        "by_offset is no longer accepted: declare the event the deadline runs from under the pack's parameters (e.g. list_published: {type: date, says: ..., source: ...}) and write by: list_published + 36 months; nospy policy check --assume list_published=YYYY-MM-DD evaluates it",
    });
  }
  if (rule.unverified === true) {
    out.push({
      path: ['unverified'],
      message:
        "unverified: true no longer says enough: when only a date's day is uncertain, state its range (by_earliest / by_month, from_earliest / from_month, …); when the rule itself is unconfirmed, say why: unverified: '<what was not seen>'",
    });
  }
  return out;
}

/** Problems with one rule's dates and deadlines (paths relative to the rule). */
export function timingProblems(rule: RuleInput, entities: readonly PackEntity[]): RuleProblem[] {
  const out: RuleProblem[] = [];
  switch (rule.kind) {
    case 'exclude':
    case 'remove': {
      const ways = [stated(rule, 'by') ? 'by' : undefined, rule.by_operator_field].filter(
        (w) => w !== undefined,
      );
      if (ways.length + (stated(rule, 'effective') ? 1 : 0) === 0) {
        out.push({
          path: [],
          message: `a ${rule.kind} rule needs by, effective or by_operator_field`,
        });
      }
      if (ways.length > 1)
        out.push({ path: [], message: 'give one deadline: by or by_operator_field' });
      const by = latestDay(rule, 'by');
      const effective = latestDay(rule, 'effective');
      if (by !== undefined && effective !== undefined && by < effective) {
        out.push({
          path: ['by'],
          message: `deadline ${formatDay(by)} is before the rule's effective date ${formatDay(effective)}`,
        });
      }
      break;
    }
    case 'no_new_install':
    case 'no_new_procurement':
      if (stated(rule, 'after') === stated(rule, 'from')) {
        out.push({ path: [], message: `a ${rule.kind} rule needs exactly one of after and from` });
      }
      break;
    case 'no_event': {
      if (stated(rule, 'from') === (rule.from_offset !== undefined)) {
        out.push({
          path: [],
          message: 'a no_event rule needs exactly one of from and from_offset',
        });
      }
      if (rule.from_offset !== undefined) {
        const scope = rule.entities ?? entities.map((e) => e.id);
        for (const id of scope) {
          if (entities.find((e) => e.id === id)?.listedOn === undefined) {
            out.push({
              path: ['from_offset'],
              message: `from_offset counts from listed_on, and entity '${id}' has none`,
            });
          }
        }
      }
      break;
    }
    case 'cap':
      if (!stated(rule, 'by')) out.push({ path: [], message: 'a cap needs by (or by_month)' });
      if (new Set(rule.measures).size !== rule.measures.length) {
        out.push({ path: ['measures'], message: 'a measure is listed twice' });
      }
      break;
    case 'diversity':
      if (rule.min_vendors < 2) {
        out.push({
          path: ['min_vendors'],
          message: `min_vendors ${rule.min_vendors} can never fire: it must be at least 2`,
        });
      }
      break;
    case 'authorisation':
      break;
  }
  return out;
}

/**
 * Rules that contradict or duplicate each other: the same kind and status over the same scope
 * (entities, kinds, domains, technology, where, and for caps the measure) with different dates
 * or limits. Layered rules with different statuses (a 2020 policy, then a 2022 law) are fine.
 */
export function contradictions(rules: readonly RuleInput[]): RuleProblem[] {
  const out: RuleProblem[] = [];
  const seen = new Map<string, { index: number; timing: string }>();
  rules.forEach((rule, index) => {
    if (!rule.enabled) return;
    for (const { scope, timing } of scopesOf(rule)) {
      const earlier = seen.get(scope);
      if (earlier === undefined) {
        seen.set(scope, { index, timing });
        continue;
      }
      const other = rules[earlier.index]?.id ?? '?';
      out.push({
        path: ['rules', index, 'id'],
        message:
          earlier.timing === timing
            ? `rule '${rule.id}' duplicates rule '${other}' (same kind, status and scope)`
            : `rule '${rule.id}' contradicts rule '${other}': same kind, status and scope, but ${timing} vs ${earlier.timing}`,
      });
    }
  });
  return out;
}

function scopesOf(rule: RuleInput): { scope: string; timing: string }[] {
  const sorted = (list: readonly string[] | undefined): string[] | null =>
    list === undefined ? null : [...list].sort();
  const common = {
    kind: rule.kind,
    status: rule.status,
    entities: sorted(rule.entities),
    kinds: sorted(rule.kinds),
    domains: sorted(rule.domains),
    technology: sorted(rule.technology),
    where:
      rule.where === undefined
        ? null
        : Object.entries(rule.where).sort(([a], [b]) => a.localeCompare(b)),
  };
  const r = rule as unknown as Record<string, unknown>;
  const day = (name: string): string => {
    const spec = r[name] as DateSpec | undefined;
    const earliest = r[`${name}_earliest`] as DateSpec | undefined;
    const month = r[`${name}_month`] as { earliest: number; latest: number } | undefined;
    if (month !== undefined) return `${formatDay(month.earliest)}..${formatDay(month.latest)}`;
    if (spec === undefined) return '-';
    const text = specText(spec, formatDay);
    return earliest === undefined ? text : `${specText(earliest, formatDay)}..${text}`;
  };
  switch (rule.kind) {
    case 'exclude':
    case 'remove':
      return [
        {
          scope: JSON.stringify(common),
          timing: `by ${day('by')}, effective ${day('effective')}${rule.by_operator_field === undefined ? '' : `, by ${rule.by_operator_field}`}`,
        },
      ];
    case 'no_new_install':
    case 'no_new_procurement':
      return [
        {
          scope: JSON.stringify(common),
          timing: `after ${day('after')}, from ${day('from')}`,
        },
      ];
    case 'no_event':
      return [
        {
          scope: JSON.stringify({ ...common, event: rule.event_type }),
          timing: `from ${day('from')}, offset ${rule.from_offset?.days ?? '-'}`,
        },
      ];
    case 'cap':
      return rule.measures.map((measure) => ({
        scope: JSON.stringify({ ...common, domain: rule.domain, measure }),
        timing: `max ${rule.max_percent ?? '-'}% / ${rule.max_share ?? '-'} by ${day('by')}`,
      }));
    case 'diversity':
      return [
        {
          scope: JSON.stringify({ ...common, domain: rule.domain }),
          timing: `min ${rule.min_vendors} from ${day('effective')}`,
        },
      ];
    case 'authorisation':
      return [
        {
          scope: JSON.stringify({ ...common, all: rule.all_vendors }),
          timing: `schemes ${[...rule.schemes].sort().join(',')} from ${day('effective')}`,
        },
      ];
  }
}
