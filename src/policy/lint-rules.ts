/**
 * Consistency checks on rules that the schema cannot express: when a rule starts and ends, and
 * whether two rules say different things about the same scope.
 */
import { formatDay } from '../inventory/day.js';
import type { PackEntity } from './model.js';
import type { RuleInput } from './schema.js';

interface RuleProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Problems with one rule's dates and deadlines (paths relative to the rule). */
export function timingProblems(rule: RuleInput, entities: readonly PackEntity[]): RuleProblem[] {
  const out: RuleProblem[] = [];
  switch (rule.kind) {
    case 'exclude':
    case 'remove': {
      const ways = [rule.by, rule.by_operator_field, rule.by_offset].filter((w) => w !== undefined);
      if (ways.length + (rule.effective === undefined ? 0 : 1) === 0) {
        out.push({
          path: [],
          message: `a ${rule.kind} rule needs by, effective, by_operator_field or by_offset`,
        });
      }
      if (ways.length > 1)
        out.push({ path: [], message: 'give one deadline: by, by_operator_field or by_offset' });
      if (rule.by !== undefined && rule.effective !== undefined && rule.by < rule.effective) {
        out.push({
          path: ['by'],
          message: `deadline ${formatDay(rule.by)} is before the rule's effective date ${formatDay(rule.effective)}`,
        });
      }
      if (rule.by_offset !== undefined && rule.enabled) {
        out.push({
          path: ['by_offset'],
          message: 'by_offset names no date yet: only a disabled (proposed) rule may use it',
        });
      }
      if (rule.by_day_unverified && rule.by === undefined) {
        out.push({
          path: ['by_day_unverified'],
          message: 'by_day_unverified qualifies a by date, and there is none',
        });
      }
      break;
    }
    case 'no_new_install':
    case 'no_new_procurement':
      if ((rule.after === undefined) === (rule.from === undefined)) {
        out.push({ path: [], message: `a ${rule.kind} rule needs exactly one of after and from` });
      }
      if (rule.after_day_unverified && rule.after === undefined) {
        out.push({
          path: ['after_day_unverified'],
          message: 'after_day_unverified qualifies an after date, and there is none',
        });
      }
      if (rule.from_day_unverified && rule.from === undefined) {
        out.push({
          path: ['from_day_unverified'],
          message: 'from_day_unverified qualifies a from date, and there is none',
        });
      }
      break;
    case 'no_event': {
      if ((rule.from === undefined) === (rule.from_offset === undefined)) {
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
  const day = (d: number | undefined): string => (d === undefined ? '-' : formatDay(d));
  switch (rule.kind) {
    case 'exclude':
    case 'remove':
      return [
        {
          scope: JSON.stringify(common),
          timing: `by ${day(rule.by)}, effective ${day(rule.effective)}${rule.by_operator_field === undefined ? '' : `, by ${rule.by_operator_field}`}`,
        },
      ];
    case 'no_new_install':
    case 'no_new_procurement':
      return [
        {
          scope: JSON.stringify(common),
          timing: `after ${day(rule.after)}, from ${day(rule.from)}`,
        },
      ];
    case 'no_event':
      return [
        {
          scope: JSON.stringify({ ...common, event: rule.event_type }),
          timing: `from ${day(rule.from)}, offset ${rule.from_offset?.days ?? '-'}`,
        },
      ];
    case 'cap':
      return rule.measures.map((measure) => ({
        scope: JSON.stringify({ ...common, domain: rule.domain, measure }),
        timing: `max ${rule.max_percent ?? '-'}% / ${rule.max_share ?? '-'} by ${day(rule.by)}`,
      }));
    case 'diversity':
      return [
        {
          scope: JSON.stringify({ ...common, domain: rule.domain }),
          timing: `min ${rule.min_vendors} from ${day(rule.effective)}`,
        },
      ];
  }
}
