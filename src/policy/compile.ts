/**
 * Turns a schema-valid pack into its compiled form and finds what the schema cannot see: unknown
 * references (entities, sources, rules), deadlines before effective dates, impossible cap
 * shares, duplicate ids and rules that contradict each other. Every problem carries the path of
 * the value at fault, so the caller can report file:line:column.
 */
import { OPERATIONAL_DOMAINS, type Domain } from '../inventory/model.js';
import { rangeOf, type DateRange, type DateSpec } from './dates.js';
import type {
  CompiledExemption,
  CompiledPack,
  CompiledRule,
  PackEntity,
  PackParameter,
  ParametricDates,
} from './model.js';
import type { PackInput, RegistryInput, RuleInput } from './schema.js';
import { compileWhere, type WhereProblem } from './where.js';
import { contradictions, retiredForms, timingProblems } from './lint-rules.js';

/** A problem with a pack, at a path inside the pack document. */
export interface PackProblem {
  readonly path: readonly PropertyKey[];
  /** When the problem is a key of the mapping at `path` (an unknown where field). */
  readonly key?: string;
  readonly message: string;
}

const CAP_SCALE = 1_000_000;

/** Compiles `input` against `registry`; the pack is usable only when `problems` is empty. */
export function compilePack(
  input: PackInput,
  registry: RegistryInput,
  file: string,
): { pack: CompiledPack; problems: PackProblem[] } {
  const problems: PackProblem[] = [];
  const known = { ...registry.entities, ...(input.registry?.entities ?? {}) };
  const sourceIds = new Set(Object.keys(input.sources));
  const checkSources = (ref: string | readonly string[] | undefined, path: PropertyKey[]): void => {
    const refs = ref === undefined ? [] : typeof ref === 'string' ? [ref] : ref;
    refs.forEach((r, i) => {
      if (!sourceIds.has(r)) {
        problems.push({
          path: typeof ref === 'string' ? path : [...path, i],
          message: `source '${r}' is not one of the pack's sources (${[...sourceIds].join(', ')})`,
        });
      }
    });
  };

  const entities: PackEntity[] = [];
  const entityIds = new Set<string>();
  input.entities.forEach((entry, index) => {
    const path = ['entities', index];
    if (!(entry.ref in known)) {
      problems.push({
        path: [...path, 'ref'],
        message: `unknown entity '${entry.ref}' (registry: ${Object.keys(known).join(', ')})`,
      });
    }
    if (entityIds.has(entry.ref)) {
      problems.push({ path: [...path, 'ref'], message: `entity '${entry.ref}' is listed twice` });
    }
    entityIds.add(entry.ref);
    checkSources(entry.source, [...path, 'source']);
    entities.push({
      id: entry.ref,
      ...(entry.purposes === undefined ? {} : { purposes: new Set(entry.purposes) }),
      ...(entry.kinds === undefined ? {} : { kinds: new Set(entry.kinds) }),
      ...(entry.listed_on === undefined ? {} : { listedOn: entry.listed_on }),
    });
  });

  const parameters: Record<string, PackParameter> = {};
  for (const [name, parameter] of Object.entries(input.parameters ?? {})) {
    checkSources(parameter.source, ['parameters', name, 'source']);
    parameters[name] = {
      type: parameter.type,
      says: parameter.says,
      sources: typeof parameter.source === 'string' ? [parameter.source] : parameter.source,
    };
  }

  const ruleIds = new Set<string>();
  const rules = input.rules.map((rule, index) => {
    const path = ['rules', index];
    for (const p of retiredForms(rule)) problems.push({ ...p, path: [...path, ...p.path] });
    if (input.status === 'proposed' && rule.status !== 'proposed') {
      problems.push({
        path: [...path, 'status'],
        message: `the pack is a proposal (status: proposed): its rules are not law in force, so their status is 'proposed', not '${rule.status}'`,
      });
    }
    if (ruleIds.has(rule.id))
      problems.push({ path: [...path, 'id'], message: `rule id '${rule.id}' is used twice` });
    ruleIds.add(rule.id);
    checkSources(rule.source, [...path, 'source']);
    (rule.entities ?? []).forEach((e, i) => {
      if (!entityIds.has(e)) {
        problems.push({
          path: [...path, 'entities', i],
          message: `rule names entity '${e}', which is not one of the pack's entities`,
        });
      }
    });
    for (const p of timingProblems(rule, entities))
      problems.push({ ...p, path: [...path, ...p.path] });
    const compiled = compileRule(rule, entities, [...path], problems);
    for (const name of compiled.waitsFor) {
      if (!(name in parameters)) {
        problems.push({
          path,
          message: `a date of rule '${rule.id}' counts from '${name}', which the pack does not declare under parameters`,
        });
      }
    }
    return compiled;
  });
  for (const p of contradictions(input.rules)) problems.push(p);

  const exemptionIds = new Set<string>();
  const exemptions: CompiledExemption[] = input.exemptions.map((exemption, index) => {
    const path = ['exemptions', index];
    if (exemptionIds.has(exemption.id)) {
      problems.push({
        path: [...path, 'id'],
        message: `exemption id '${exemption.id}' is used twice`,
      });
    }
    exemptionIds.add(exemption.id);
    exemption.rules.forEach((r, i) => {
      if (!ruleIds.has(r))
        problems.push({
          path: [...path, 'rules', i],
          message: `exemption names rule '${r}', which the pack does not have`,
        });
    });
    checkSources(exemption.source, [...path, 'source']);
    const whereProblems: WhereProblem[] = [];
    const where = compileWhere(exemption.where, whereProblems);
    for (const w of whereProblems)
      problems.push({ path: [...path, 'where'], key: w.key, message: w.message });
    const until = rangeOf('until', {
      exact: exemption.until === undefined ? undefined : { day: exemption.until },
      earliest:
        exemption.until_earliest === undefined ? undefined : { day: exemption.until_earliest },
      month: exemption.until_month,
    });
    if (until.problem !== undefined)
      problems.push({ path: [...path, until.problem.field], message: until.problem.message });
    const low = dayOf(until.range?.earliest);
    const high = dayOf(until.range?.latest);
    return {
      id: exemption.id,
      rules: new Set(exemption.rules),
      where,
      ...(exemption.operator_holds === undefined
        ? {}
        : { operatorHolds: exemption.operator_holds }),
      ...(low === undefined ? {} : { until: low }),
      ...(high === undefined || high === low ? {} : { untilLatest: high }),
    };
  });

  for (const [name, fact] of Object.entries(input.facts ?? {}))
    checkSources(fact.source, ['facts', name, 'source']);

  return {
    pack: {
      id: input.id,
      title: input.title,
      jurisdiction: input.jurisdiction,
      binding: input.binding,
      status: input.status,
      parameters,
      file,
      sources: input.sources,
      entities,
      exemptions,
      rules,
      ...(input.registry === undefined ? {} : { registry: input.registry }),
    },
    problems,
  };
}

function compileRule(
  rule: RuleInput,
  entities: readonly PackEntity[],
  path: PropertyKey[],
  problems: PackProblem[],
): CompiledRule {
  const whereProblems: WhereProblem[] = [];
  const where = compileWhere(rule.where, whereProblems);
  for (const w of whereProblems)
    problems.push({ path: [...path, 'where'], key: w.key, message: w.message });
  const equipmentOnly = rule.kind === 'cap' || rule.kind === 'diversity';
  if (
    equipmentOnly &&
    rule.kinds !== undefined &&
    (rule.kinds.length !== 1 || rule.kinds[0] !== 'equipment')
  ) {
    problems.push({
      path: [...path, 'kinds'],
      message: `a ${rule.kind} rule counts equipment only`,
    });
  }
  const allVendors = rule.kind === 'authorisation' && rule.all_vendors;
  if (allVendors && rule.entities !== undefined) {
    problems.push({
      path: [...path, 'entities'],
      message: 'an all_vendors rule covers every vendor: it names no entities',
    });
  }
  const domains: ReadonlySet<Domain> =
    rule.kind === 'cap' || rule.kind === 'diversity'
      ? new Set([rule.domain])
      : new Set(rule.domains ?? OPERATIONAL_DOMAINS);
  const parametric: { -readonly [K in keyof ParametricDates]: DateSpec } = {};
  const waitsFor = new Set<string>();
  const dates: Partial<Record<keyof ParametricDates, number>> = {};
  /** Compiles `x` / `x_earliest` / `x_month` into the strict and lenient fields. */
  const ranged = (
    name: 'by' | 'effective' | 'after' | 'from',
    input: Record<string, unknown>,
  ): void => {
    const { range, problem } = rangeOf(name, {
      exact: input[name] as DateSpec | undefined,
      earliest: input[`${name}_earliest`] as DateSpec | undefined,
      month: input[`${name}_month`] as { earliest: number; latest: number } | undefined,
    });
    if (problem !== undefined)
      problems.push({ path: [...path, problem.field], message: problem.message });
    if (range !== undefined) place(name, range);
  };
  const place = (name: 'by' | 'effective' | 'after' | 'from', range: DateRange): void => {
    const latest = `${name}Latest` as const;
    for (const [field, spec] of [
      [name, range.earliest],
      [latest, range.latest],
    ] as const) {
      if ('day' in spec) {
        if (field === name || spec.day !== dayOf(range.earliest)) dates[field] = spec.day;
      } else {
        parametric[field] = spec;
        waitsFor.add(spec.param);
      }
    }
  };
  const fields = rule as unknown as Record<string, unknown>;
  switch (rule.kind) {
    case 'exclude':
    case 'remove':
    case 'cap':
      ranged('by', fields);
      if (rule.kind !== 'cap') ranged('effective', fields);
      break;
    case 'diversity':
    case 'authorisation':
      ranged('effective', fields);
      break;
    case 'no_new_install':
    case 'no_new_procurement':
      ranged('after', fields);
      ranged('from', fields);
      break;
    case 'no_event':
      ranged('from', fields);
      break;
  }
  const base: CompiledRule = {
    id: rule.id,
    title: rule.title,
    kind: rule.kind,
    status: rule.status,
    basis: rule.basis,
    unverified: typeof rule.unverified === 'string' ? rule.unverified : undefined,
    enabled: rule.enabled,
    heuristic: rule.heuristic,
    sources: typeof rule.source === 'string' ? [rule.source] : rule.source,
    entities: allVendors ? [] : (rule.entities ?? entities.map((e) => e.id)),
    kinds: new Set(equipmentOnly ? ['equipment'] : (rule.kinds ?? ['equipment', 'software'])),
    domains,
    domainsExplicit: rule.kind === 'cap' || rule.kind === 'diversity' || rule.domains !== undefined,
    technology: rule.technology === undefined ? undefined : new Set(rule.technology),
    where,
    matchComponents: rule.match_components === 'review',
    ...dates,
    ...(waitsFor.size === 0 ? {} : { parametric }),
    waitsFor: [...waitsFor].sort(),
    allVendors,
  };
  switch (rule.kind) {
    case 'exclude':
    case 'remove':
      return {
        ...base,
        ...(rule.by_operator_field === undefined
          ? {}
          : { byOperatorField: rule.by_operator_field }),
      };
    case 'no_new_install':
    case 'no_new_procurement':
      return base;
    case 'no_event':
      return {
        ...base,
        eventType: rule.event_type,
        ...(rule.from_offset === undefined ? {} : { fromOffsetDays: rule.from_offset.days }),
      };
    case 'cap': {
      const share = capShare(rule, path, problems);
      return {
        ...base,
        capNumerator: share,
        capDenominator: CAP_SCALE,
        measures: rule.measures,
      };
    }
    case 'diversity':
      return { ...base, minVendors: rule.min_vendors };
    case 'authorisation':
      return { ...base, schemes: new Set(rule.schemes) };
  }
}

function dayOf(spec: DateSpec | undefined): number | undefined {
  return spec !== undefined && 'day' in spec ? spec.day : undefined;
}

/** The cap as an integer share of CAP_SCALE, so that comparisons stay exact. */
function capShare(
  rule: Extract<RuleInput, { kind: 'cap' }>,
  path: PropertyKey[],
  problems: PackProblem[],
): number {
  if ((rule.max_percent === undefined) === (rule.max_share === undefined)) {
    problems.push({ path, message: 'a cap needs exactly one of max_percent and max_share' });
    return 0;
  }
  const [field, value, top] =
    rule.max_percent === undefined
      ? (['max_share', rule.max_share ?? 0, 1] as const)
      : (['max_percent', rule.max_percent, 100] as const);
  if (value < 0 || value > top) {
    problems.push({ path: [...path, field], message: `${field} ${value} is outside 0..${top}` });
    return 0;
  }
  const scaled = (value * CAP_SCALE) / top;
  if (Math.abs(scaled - Math.round(scaled)) > 1e-6) {
    problems.push({
      path: [...path, field],
      message: `${field} ${value} has more precision than a millionth of the share`,
    });
  }
  return Math.round(scaled);
}
