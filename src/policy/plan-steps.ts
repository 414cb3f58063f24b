/** The steps of a remediation plan (`plan.ts` builds them; `plan-authorisations.ts` adds its own). */
import type { Day } from '../inventory/day.js';
import type { PendingRule, Assumptions } from './bind.js';
import type { Measure, RuleStatus } from './schema.js';

export interface RemovalStep {
  /** The last day the items may stay in service. */
  readonly by: Day;
  readonly pack: string;
  readonly rule: string;
  readonly title: string | undefined;
  readonly status: RuleStatus;
  /** The vendor identity (registry entity id, or the normalised recorded name). */
  readonly vendor: string;
  /** Item ids, sorted. */
  readonly items: readonly string[];
  /** The deadline had already passed on the plan's first day. */
  readonly overdue: boolean;
  readonly unverified?: true;
  /** The deadline's lenient reading, when its day is uncertain (`by` is the strict one). */
  readonly latest?: Day;
}

export interface CapStep {
  readonly by: Day;
  readonly pack: string;
  readonly rule: string;
  readonly title: string | undefined;
  readonly status: RuleStatus;
  readonly overdue: boolean;
  readonly latest?: Day;
  /** Per breached measure: how much must go (sites, GB per day, premises), replaced like for like. */
  readonly excess: Partial<Record<Measure, number>>;
}

export interface RemediationPlan {
  readonly from: Day;
  readonly removals: readonly RemovalStep[];
  readonly caps: readonly CapStep[];
  /** Rules whose deadline counts from a parameter that was not assumed. */
  readonly pending: readonly PendingRule[];
  /** The parameter values the plan assumed (a scenario). */
  readonly assumptions: Assumptions;
}
