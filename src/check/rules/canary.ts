/**
 * canary-lapsed: the agreement's `canary-every` clause against the dates of the vendor's logged
 * canary statements: a gap longer than the period between two canaries (or from the agreement's
 * start to the first one), or no canary for longer than the period before `now`.
 */
import type { Finding } from '../finding.js';
import type { EvidenceIndex } from '../evidence-index.js';
import { makeFinding, statementEvidence } from '../make-finding.js';
import { DAY_MS, iso, instant } from '../normalise.js';
import { sameVendor, vendorKey } from '../../inventory/vendor-identity.js';
import { AGREEMENT_PREDICATE_TYPE } from '../../statements/predicates/agreement.js';

/** Findings of kind `canary-lapsed`. */
export function canaryLapses(ctx: EvidenceIndex): Finding[] {
  const out: Finding[] = [];
  const vendors = new Map<string, string>();
  for (const a of ctx.agreements) {
    const name = a.statement.predicate.parties.vendor.name;
    vendors.set(vendorKey(name), name);
  }
  for (const vendor of vendors.values()) {
    const promise = ctx.clauseOf(vendor, 'canary-every');
    if (promise === undefined) continue;
    const p = promise.agreement.statement;
    if (p.predicateType !== AGREEMENT_PREDICATE_TYPE) continue;
    const period = promise.clause.days * DAY_MS;
    const end = Math.min(ctx.now, instant(p.predicate.validity.until) + DAY_MS);
    const canaries = ctx.canaries
      .filter((c) => sameVendor(c.statement.predicate.vendor, vendor))
      .map((c) => ({ c, at: instant(c.statement.predicate.issuedAt) }))
      .sort((a, b) => a.at - b.at);
    let previous = instant(p.predicate.validity.from);
    let previousStatement = promise.agreement;
    const lapse = (
      due: number,
      until: number,
      next: typeof previousStatement | undefined,
    ): void => {
      out.push(
        makeFinding({
          kind: 'canary-lapsed',
          severity: 'high',
          subject: { vendor },
          breaks: { type: 'clause', agreement: promise.agreement.index, clause: 'canary-every' },
          what: iso(due).slice(0, 10),
          firstSeen: due,
          lastSeen: until,
          explanation: `${vendor} promised a canary every ${promise.clause.days} days; none was logged between ${iso(previous).slice(0, 10)} and ${next === undefined ? `${iso(until).slice(0, 10)} (still none)` : iso(until).slice(0, 10)}.`,
          evidence: [
            statementEvidence(promise.agreement),
            ...(previousStatement === promise.agreement
              ? []
              : [statementEvidence(previousStatement)]),
            ...(next === undefined ? [] : [statementEvidence(next)]),
          ],
        }),
      );
    };
    for (const { c, at } of canaries) {
      if (at > end) break;
      if (at > previous + period) lapse(previous + period, at, c);
      if (at > previous) {
        previous = at;
        previousStatement = c;
      }
    }
    if (end > previous + period) lapse(previous + period, end, undefined);
  }
  return out;
}
