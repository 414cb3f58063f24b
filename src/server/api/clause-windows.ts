/**
 * Clauses judged against a window of days, without a finding: when the next canary is due under
 * `canary-every`, and whether a `release-reproduced` clause waits for rebuilds still inside their
 * window. Pure: evidence, the vendor and the evaluation time in, the clause's status out.
 */
import { vendorKey } from '../../inventory/vendor-identity.js';
import { DAY_MS, instant, iso } from '../../check/normalise.js';
import type { CheckEvidence } from '../../check/evidence.js';
import { CANARY_PREDICATE_TYPE } from '../../statements/predicates/canary.js';
import type { AgreementPredicate } from '../../statements/predicates/agreement.js';
import type { ClauseRecord, ReleaseRecord } from './api-snapshot.js';

type Clause = AgreementPredicate['clauses'][number];
type Judged = Omit<ClauseRecord, 'id' | 'findings'>;

/**
 * `canary-every`: the next canary is due the clause's days after the latest one logged by `now`
 * (after the agreement's start before the first), whatever date the canary itself names as its
 * next. Before the first is due the clause is `pending`; the lapse finding breaks it after.
 */
export function canaryClause(
  evidence: CheckEvidence,
  vendorKeys: ReadonlySet<string>,
  validityFrom: string,
  clause: Clause,
  now: number,
): Judged | undefined {
  if (clause.clause !== 'canary-every') return undefined;
  let latest: number | undefined;
  for (const s of evidence.statements) {
    const st = s.statement;
    if (st.predicateType !== CANARY_PREDICATE_TYPE) continue;
    if (!vendorKeys.has(vendorKey(st.predicate.vendor))) continue;
    const at = instant(st.predicate.issuedAt);
    if (at <= now && (latest === undefined || at > latest)) latest = at;
  }
  const from = latest ?? instant(validityFrom);
  const due = iso(from + clause.days * DAY_MS).slice(0, 10);
  const every = `every ${String(clause.days)} days`;
  if (latest === undefined) {
    return {
      status: 'pending',
      due,
      note: `no canary logged yet; the first is due ${due} (${every} from the agreement's start)`,
    };
  }
  return {
    status: 'kept',
    due,
    note: `next canary due ${due} (${every}; the latest was issued ${iso(latest).slice(0, 10)})`,
  };
}

/**
 * `release-reproduced`: `pending` while one of the vendor's releases waits for its rebuilds inside
 * the clause's window (the release records judge each release: `reproducibility.status`).
 */
export function reproductionPending(
  releases: readonly ReleaseRecord[],
  clause: Clause,
): Judged | undefined {
  if (clause.clause !== 'release-reproduced') return undefined;
  const waiting = releases.filter((r) => r.reproducibility.status === 'pending');
  if (waiting.length === 0) return undefined;
  return {
    status: 'pending',
    note: `${waiting.map((r) => r.version).join(', ')} awaiting rebuilds by ${String(clause.evaluators)} evaluator(s) within ${String(clause.within_days)} days of release`,
  };
}
