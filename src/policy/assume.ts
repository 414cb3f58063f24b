/**
 * `--assume name=YYYY-MM-DD`: the value of a pack parameter for a scenario (the EU list of
 * high-risk suppliers published on a given day, say). Parsed here; bind.ts checks that a pack
 * declares the name.
 */
import { parseDay, type Day } from '../inventory/day.js';
import type { Assumptions } from './bind.js';
import { PolicyError } from './errors.js';

const ASSUMPTION = /^([a-z][a-z0-9_]{0,63})=(.*)$/;

/** The assumptions of repeated `--assume` values; a name given twice or a bad day is an error. */
export function parseAssumptions(values: readonly string[]): Assumptions {
  const out = new Map<string, Day>();
  for (const value of values) {
    const m = ASSUMPTION.exec(value.trim());
    const day = m === null ? undefined : parseDay(m[2] ?? '');
    if (m === null || day === undefined) {
      throw new PolicyError(
        'POLICY_ASSUMPTION_INVALID',
        `--assume '${value}' is not <parameter>=YYYY-MM-DD (e.g. --assume list_published=2027-03-01)`,
        { where: '--assume' },
      );
    }
    const name = m[1] ?? '';
    if (out.has(name)) {
      throw new PolicyError('POLICY_ASSUMPTION_INVALID', `--assume ${name} is given twice`, {
        where: '--assume',
      });
    }
    out.set(name, day);
  }
  return out;
}
