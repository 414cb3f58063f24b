/**
 * A finding's life across check runs, and the analyst's triage of it. Pure: the store
 * (`src/store/finding-store-port.ts`) keeps these records; this module says how a run changes
 * them and how they change what a report shows. Triage never changes a finding's evidence, its
 * severity or the exit code of `nospy check`: it is a note beside the finding.
 */
import type { Finding } from './finding.js';

/** When a finding id was seen, over every recorded check run. */
export interface FindingHistory {
  readonly id: string;
  /** The earliest `firstSeen` any run gave the finding (ISO 8601 UTC). */
  readonly firstSeen: string;
  /** The latest `lastSeen` any run gave the finding. */
  readonly lastSeen: string;
  /** The evaluation instant of the first and of the latest run that reported it. */
  readonly firstRun: string;
  readonly lastRun: string;
  /** The evaluation instant of the first run after `lastRun` that did not report it. */
  readonly resolvedAt?: string;
}

export const TRIAGE_STATES = [
  'acknowledged',
  'false-positive',
  'accepted-risk',
  /** Withdraws the previous decision: the finding is untriaged again. */
  'reopened',
] as const;
export type TriageState = (typeof TRIAGE_STATES)[number];

/** One triage decision, as kept (decisions are appended, never edited). */
export interface TriageDecision {
  readonly finding: string;
  readonly state: TriageState;
  /** Who decided: the token's name, or `operator` on a server without tokens. */
  readonly by: string;
  /** When (ISO 8601 UTC). */
  readonly at: string;
  readonly reason: string;
  /** `accepted-risk` only: the day (YYYY-MM-DD) the acceptance ends. */
  readonly until?: string;
}

function earlier(a: string, b: string): string {
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

function later(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * The history after a run at `runAt` reported `finding`: first seen is the earliest ever (a
 * finding does not become new again because a later run recomputed it), last seen the latest,
 * and a finding seen again is no longer resolved.
 */
export function seenInRun(
  previous: FindingHistory | undefined,
  finding: Finding,
  runAt: string,
): FindingHistory {
  if (previous === undefined) {
    return {
      id: finding.id,
      firstSeen: finding.firstSeen,
      lastSeen: finding.lastSeen,
      firstRun: runAt,
      lastRun: runAt,
    };
  }
  return {
    id: finding.id,
    firstSeen: earlier(previous.firstSeen, finding.firstSeen),
    lastSeen: later(previous.lastSeen, finding.lastSeen),
    firstRun: earlier(previous.firstRun, runAt),
    lastRun: later(previous.lastRun, runAt),
  };
}

/**
 * Whether a run at `runAt` that did not report the finding resolves it: only a run later than
 * the last one that reported it (re-running an older evaluation date resolves nothing).
 */
export function resolvedBy(history: FindingHistory, runAt: string): boolean {
  return history.resolvedAt === undefined && Date.parse(runAt) > Date.parse(history.lastRun);
}

/** The finding with its first and last seen widened to what earlier runs saw. */
export function withHistory(finding: Finding, history: FindingHistory | undefined): Finding {
  if (history === undefined) return finding;
  const firstSeen = earlier(history.firstSeen, finding.firstSeen);
  const lastSeen = later(history.lastSeen, finding.lastSeen);
  return firstSeen === finding.firstSeen && lastSeen === finding.lastSeen
    ? finding
    : { ...finding, firstSeen, lastSeen };
}

/**
 * The decision in force at `now` among one finding's decisions (oldest first): the latest, unless
 * it reopened the finding or is an acceptance of risk whose day has passed.
 */
export function triageInForce(
  decisions: readonly TriageDecision[],
  now: Date,
): TriageDecision | undefined {
  const latest = decisions.at(-1);
  if (latest === undefined || latest.state === 'reopened') return undefined;
  if (latest.until !== undefined && latest.until < now.toISOString().slice(0, 10)) return undefined;
  return latest;
}

/** Why a decision cannot be kept, or undefined when it can. */
export function triageProblem(decision: {
  readonly state: TriageState;
  readonly reason: string;
  readonly until?: string | undefined;
}): string | undefined {
  if (decision.reason.trim() === '') return 'a triage decision needs a reason';
  if (decision.state === 'accepted-risk' && decision.until === undefined)
    return 'accepting a risk needs the day it ends (until, YYYY-MM-DD)';
  if (decision.state !== 'accepted-risk' && decision.until !== undefined)
    return `until is for accepted-risk only, not ${decision.state}`;
  return undefined;
}
