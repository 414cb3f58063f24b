/**
 * `where` maps (nospy policy reference, RULE KINDS): keys name an item, site or operator field;
 * a scalar means equality, a list membership (for a list-valued field: a non-empty
 * intersection), `{not: x}` inequality (an absent value is "not x"), `{lte|gte: date}` a bound
 * (an absent value never satisfies a bound). A map is compiled once into predicates.
 */
import { parseDay, type Day } from '../inventory/day.js';
import type { InventoryItem, Operator, Site } from '../inventory/model.js';
import type { WhereInput } from './schema.js';

/** A field's value as a `where` test sees it. */
export type Value = string | number | boolean | readonly string[] | undefined;
type FieldType = 'string' | 'boolean' | 'number' | 'date' | 'list';

interface ItemField {
  readonly type: FieldType;
  readonly get: (item: InventoryItem, site: Site | undefined) => Value;
}
interface OperatorField {
  readonly type: FieldType;
  readonly get: (operator: Operator) => Value;
}

/** Fields a `where` may name on an item or its site. */
export const ITEM_FIELDS: Readonly<Record<string, ItemField>> = {
  'item.id': { type: 'string', get: (i) => i.id },
  'item.kind': { type: 'string', get: (i) => i.kind },
  'item.vendor': { type: 'string', get: (i) => i.vendor },
  'item.model': { type: 'string', get: (i) => i.model },
  'item.site': { type: 'string', get: (i) => i.site },
  'item.technology': { type: 'list', get: (i) => i.technology },
  'item.purpose': { type: 'string', get: (i) => i.purpose },
  'item.can_route_or_view_user_data': { type: 'boolean', get: (i) => i.canRouteOrViewUserData },
  'item.sanctions_affected': { type: 'boolean', get: (i) => i.sanctionsAffected },
  'item.transmission_class': { type: 'string', get: (i) => i.transmissionClass },
  'item.manages': { type: 'list', get: (i) => i.manages },
  'item.service_type': { type: 'string', get: (i) => i.serviceType },
  'item.premises_served': { type: 'number', get: (i) => i.premisesServed },
  'item.traffic_gb_per_day': { type: 'number', get: (i) => i.trafficGbPerDay },
  'item.category': { type: 'string', get: (i) => i.category },
  'item.produced_in': { type: 'string', get: (i) => i.producedIn },
  'item.procured': { type: 'date', get: (i) => i.procured },
  'item.installed': { type: 'date', get: (i) => i.installed },
  'item.removed': { type: 'date', get: (i) => i.removed },
  // Derived (reference vocabulary): when the operator obtained the item.
  'item.obtained': { type: 'date', get: (i) => i.procured ?? i.installed },
  'site.id': { type: 'string', get: (_i, s) => s?.id },
  'site.sensitive': { type: 'boolean', get: (_i, s) => s?.sensitive ?? false },
};

/** Fields a `where` may name on the operator. */
export const OPERATOR_FIELDS: Readonly<Record<string, OperatorField>> = {
  'operator.id': { type: 'string', get: (o) => o.id },
  'operator.country': { type: 'string', get: (o) => o.country },
  'operator.us_federal_contractor': { type: 'boolean', get: (o) => o.usFederalContractor },
  'operator.usf_recipient': { type: 'boolean', get: (o) => o.usfRecipient },
  'operator.reimbursement.participant': {
    type: 'boolean',
    get: (o) => o.reimbursement?.participant ?? false,
  },
  'operator.reimbursement.initial_disbursement': {
    type: 'date',
    get: (o) => o.reimbursement?.initialDisbursement,
  },
};

export type ItemPredicate = (item: InventoryItem, site: Site | undefined) => boolean;
export type OperatorPredicate = (operator: Operator) => boolean;

export interface CompiledWhere {
  readonly item: ItemPredicate | undefined;
  readonly operator: OperatorPredicate | undefined;
  /** The item and site tests of `item`, by field key (for column-backed evaluation). */
  readonly itemTests: readonly FieldTest[];
}

/** One condition of a `where` map on one field. */
export interface FieldTest {
  readonly key: string;
  readonly test: Test;
  /** For a date bound, the bound itself (so a column can be compared without the closure). */
  readonly bound?: { readonly op: 'lte' | 'gte'; readonly day: Day };
}

/** A key of a `where` map that cannot be compiled, and why. */
export interface WhereProblem {
  readonly key: string;
  readonly message: string;
}

/** A condition on one field's value. */
export type Test = (value: Value) => boolean;

/** Compiles a `where` map; problems (unknown fields, wrong value types) are returned, not thrown. */
export function compileWhere(
  where: WhereInput | undefined,
  problems: WhereProblem[],
): CompiledWhere {
  const itemTests: {
    key: string;
    get: ItemField['get'];
    test: Test;
    bound?: FieldTest['bound'];
  }[] = [];
  const operatorTests: { get: OperatorField['get']; test: Test }[] = [];
  for (const [key, condition] of Object.entries(where ?? {})) {
    const field = ITEM_FIELDS[key] ?? OPERATOR_FIELDS[key];
    if (field === undefined) {
      problems.push({
        key,
        message: `unknown field '${key}' (item.*, site.* or operator.* fields: ${[
          ...Object.keys(ITEM_FIELDS),
          ...Object.keys(OPERATOR_FIELDS),
        ].join(', ')})`,
      });
      continue;
    }
    const test = compileCondition(key, field.type, condition, problems);
    if (test === undefined) continue;
    if (key in OPERATOR_FIELDS) operatorTests.push({ get: (field as OperatorField).get, test });
    else {
      const bound =
        typeof condition === 'object' && !Array.isArray(condition) && !('not' in condition)
          ? 'lte' in condition
            ? { op: 'lte' as const, day: condition.lte }
            : { op: 'gte' as const, day: condition.gte }
          : undefined;
      itemTests.push({
        key,
        get: (field as ItemField).get,
        test,
        ...(bound === undefined ? {} : { bound }),
      });
    }
  }
  return {
    item: allItemTests(itemTests),
    operator: allOperatorTests(operatorTests),
    itemTests: itemTests.map(({ key, test, bound }) => ({
      key,
      test,
      ...(bound === undefined ? {} : { bound }),
    })),
  };
}

/**
 * One predicate for a conjunction of item tests. Exemptions and rule filters run once per
 * candidate item, so the common one- and two-test maps get a direct closure instead of an
 * `every` over a list.
 */
function allItemTests(
  tests: readonly { get: ItemField['get']; test: Test }[],
): ItemPredicate | undefined {
  const [a, b] = tests;
  if (a === undefined) return undefined;
  if (b === undefined) return (item, site) => a.test(a.get(item, site));
  if (tests.length === 2)
    return (item, site) => a.test(a.get(item, site)) && b.test(b.get(item, site));
  return (item, site) => {
    for (const t of tests) if (!t.test(t.get(item, site))) return false;
    return true;
  };
}

function allOperatorTests(
  tests: readonly { get: OperatorField['get']; test: Test }[],
): OperatorPredicate | undefined {
  if (tests.length === 0) return undefined;
  return (operator) => {
    for (const t of tests) if (!t.test(t.get(operator))) return false;
    return true;
  };
}

function compileCondition(
  key: string,
  type: FieldType,
  condition: WhereInput[string],
  problems: WhereProblem[],
): Test | undefined {
  const scalarOf = (raw: string | number | boolean): string | number | boolean | undefined => {
    if (type === 'date') {
      const day = typeof raw === 'string' ? parseDay(raw) : undefined;
      if (day === undefined) problems.push({ key, message: `'${String(raw)}' is not a date` });
      return day;
    }
    const expected = type === 'list' || type === 'string' ? 'string' : type;
    if (typeof raw !== expected) {
      problems.push({ key, message: `${key} is a ${type} field; ${JSON.stringify(raw)} is not` });
      return undefined;
    }
    return raw;
  };
  if (Array.isArray(condition)) {
    const wanted = condition.map(scalarOf);
    if (wanted.includes(undefined)) return undefined;
    const set = new Set(wanted);
    return type === 'list'
      ? (v) => Array.isArray(v) && v.some((x: string) => set.has(x))
      : (v) => v !== undefined && set.has(v as string);
  }
  if (typeof condition === 'object') {
    if ('not' in condition) {
      const other = scalarOf(condition.not);
      if (other === undefined) return undefined;
      return type === 'list' ? (v) => !Array.isArray(v) || !v.includes(other) : (v) => v !== other;
    }
    if (type !== 'date') {
      problems.push({ key, message: `${key} is a ${type} field: lte and gte bound dates only` });
      return undefined;
    }
    if ('lte' in condition) {
      const bound: Day = condition.lte;
      return (v) => typeof v === 'number' && v <= bound;
    }
    const bound: Day = condition.gte;
    return (v) => typeof v === 'number' && v >= bound;
  }
  const wanted = scalarOf(condition);
  if (wanted === undefined) return undefined;
  return type === 'list' ? (v) => Array.isArray(v) && v.includes(wanted) : (v) => v === wanted;
}
