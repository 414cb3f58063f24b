/**
 * Rule dates as packs write them: a calendar day (`2023-07-31`), a month (`2023-07`, for a day
 * known only to its month), or a day computed from a pack parameter (`list_published + 36
 * months`), for deadlines that run from an event nobody can date yet. A date whose day is
 * uncertain is a range: the pack gives its latest reading (`by`) and its earliest (`by_earliest`),
 * or the month it falls in (`by_month`), and the evaluator decides at the strict end and marks a
 * finding unverified only when the other end would decide otherwise.
 */
import { z } from 'zod';
import { addMonths, parseDay, type Day } from '../inventory/day.js';

/** A date a rule states: a day, or an offset from a parameter the pack declares. */
export type DateSpec =
  | { readonly day: Day }
  | { readonly param: string; readonly months: number; readonly days: number };

/** The two readings of an uncertain date (equal when it is certain). */
export interface DateRange {
  readonly earliest: DateSpec;
  readonly latest: DateSpec;
}

const PARAMETER = /^[a-z][a-z0-9_]{0,63}$/;
const EXPRESSION =
  /^([a-z][a-z0-9_]{0,63})(?:\s*([+-])\s*(\d{1,4})\s*(day|days|month|months|year|years))?$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** A parameter name: lowercase letters, digits and `_`, starting with a letter. */
export const parameterName = z
  .string()
  .regex(PARAMETER, 'a parameter is lowercase letters, digits and "_", starting with a letter');

/** `YYYY-MM-DD`, or `<parameter>`, or `<parameter> + N days|months|years` (also `-`). */
export const dateSpecSchema = z.string().transform((value, ctx): DateSpec => {
  const text = value.trim();
  const day = parseDay(text);
  if (day !== undefined) return { day };
  const m = EXPRESSION.exec(text);
  if (m === null) {
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' is neither a date (YYYY-MM-DD) nor '<parameter> + N days|months|years'`,
    });
    return z.NEVER;
  }
  const n = (m[2] === '-' ? -1 : 1) * Number(m[3] ?? 0);
  const unit = m[4] ?? 'days';
  return {
    param: m[1] ?? '',
    months: unit.startsWith('month') ? n : unit.startsWith('year') ? 12 * n : 0,
    days: unit.startsWith('day') ? n : 0,
  };
});

/** `YYYY-MM`: the first and the last day of that month. */
export const monthSchema = z.string().transform((value, ctx) => {
  const m = MONTH.exec(value.trim());
  const first = m === null ? undefined : parseDay(`${m[1] ?? ''}-${m[2] ?? ''}-01`);
  if (first === undefined) {
    ctx.addIssue({ code: 'custom', message: `'${value}' is not a month (YYYY-MM)` });
    return z.NEVER;
  }
  return { earliest: first, latest: addMonths(first, 1) - 1 };
});

/** The day `spec` names, given the parameters' values; undefined while a parameter is unset. */
export function resolveDate(spec: DateSpec, parameters: ReadonlyMap<string, Day>): Day | undefined {
  if ('day' in spec) return spec.day;
  const base = parameters.get(spec.param);
  if (base === undefined) return undefined;
  return addMonths(base, spec.months) + spec.days;
}

/** The parameter a date waits for, if any. */
export function parameterOf(spec: DateSpec | undefined): string | undefined {
  return spec !== undefined && 'param' in spec ? spec.param : undefined;
}

/** How a spec reads in messages. */
export function specText(spec: DateSpec, format: (day: Day) => string): string {
  if ('day' in spec) return format(spec.day);
  const { param, months, days } = spec;
  if (months !== 0) return `${param} ${months < 0 ? '-' : '+'} ${Math.abs(months)} months`;
  if (days !== 0) return `${param} ${days < 0 ? '-' : '+'} ${Math.abs(days)} days`;
  return param;
}

/** One ranged date of a rule as written: `x`, `x_earliest`, `x_month`. */
export interface RangedInput {
  readonly exact: DateSpec | undefined;
  readonly earliest: DateSpec | undefined;
  readonly month: { readonly earliest: Day; readonly latest: Day } | undefined;
}

/**
 * The range a rule's `x` / `x_earliest` / `x_month` state, or a problem. `x_month` stands alone;
 * `x_earliest` qualifies an `x`, and may not be after it.
 */
export function rangeOf(
  name: string,
  input: RangedInput,
): { range: DateRange | undefined; problem?: { field: string; message: string } } {
  const { exact, earliest, month } = input;
  if (month !== undefined) {
    if (exact !== undefined || earliest !== undefined) {
      return {
        range: undefined,
        problem: {
          field: `${name}_month`,
          message: `give ${name}_month alone, or ${name} (with ${name}_earliest when the day is uncertain)`,
        },
      };
    }
    return { range: { earliest: { day: month.earliest }, latest: { day: month.latest } } };
  }
  if (earliest !== undefined && exact === undefined) {
    return {
      range: undefined,
      problem: {
        field: `${name}_earliest`,
        message: `${name}_earliest is the other end of a range: give ${name} (its latest reading) too`,
      },
    };
  }
  if (exact === undefined) return { range: undefined };
  const low = earliest ?? exact;
  if ('day' in low && 'day' in exact && low.day > exact.day) {
    return {
      range: undefined,
      problem: {
        field: `${name}_earliest`,
        message: `${name}_earliest is after ${name}: ${name} is the latest reading of the date, ${name}_earliest the earliest`,
      },
    };
  }
  return { range: { earliest: low, latest: exact } };
}
