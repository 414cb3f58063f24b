/**
 * Binary equivalence (agreement clause `release-reproduced {evaluators: n, within_days: d}`):
 * every logged release of the vendor must be attested `equivalent` by at least n distinct
 * evaluators within d days, by `rebuild` statements that name the release's log index and
 * image digest.
 *
 * - `release-not-equivalent` (critical): an evaluator attests `different`. It outranks any
 *   number of `equivalent` attestations: one lab that cannot rebuild the shipped bytes from the
 *   reviewed source is the finding, whoever else could.
 * - `release-not-reproduced` (high): past the window, fewer than n distinct evaluators attest
 *   `equivalent`. Evaluators are counted by the party the statement names (and whose signature
 *   the signing rules required), never by signatures or statements: two attestations by one lab
 *   count once (the rule of Debian's in-toto rebuilder layouts and of rebuilderd).
 *
 * The window opens when the release was released (`releasedAt`), or earlier when a device was
 * seen running it before that date (a release cannot postpone its own deadline), and not before
 * the agreement's validity starts. Attestations dated after `now` do not count. Devices running
 * the release are named in the finding, their deployment statements part of its evidence.
 */
import type { AgreementClause } from '../../statements/predicates/agreement.js';
import type { EvidenceIndex, StatementOf } from '../evidence-index.js';
import { makeFinding, statementEvidence } from '../make-finding.js';
import { DAY_MS, digestRef, instant, iso } from '../normalise.js';
import type { LoggedStatement } from '../evidence.js';
import type { DiffEvidence, Evidence, Finding } from '../finding.js';
import { AGREEMENT_PREDICATE_TYPE } from '../../statements/predicates/agreement.js';
import { REBUILD_PREDICATE_TYPE } from '../../statements/predicates/rebuild.js';
import { RELEASE_PREDICATE_TYPE } from '../../statements/predicates/release.js';

/** Deployment statements carried as evidence per finding (the explanation names the count). */
const MAX_DEVICE_EVIDENCE = 50;
/** Diff report entries summarised per report. */
const MAX_DIFF_FILES = 50;
const CLAUSE = 'release-reproduced';

type Release = StatementOf<typeof RELEASE_PREDICATE_TYPE>;
type Rebuild = StatementOf<typeof REBUILD_PREDICATE_TYPE>;

/** A device running an image: the inventory's record, else its latest deployment statement. */
interface RunningDevice {
  readonly id: string;
  readonly deployment: LoggedStatement | undefined;
  /** When a deployment statement first saw it running the image. */
  readonly since: number | undefined;
}

/** Every device whose current image is `hex`, by the inventory and the deployment statements. */
function devicesRunning(ctx: EvidenceIndex, hex: string): RunningDevice[] {
  const latest = new Map<string, EvidenceIndex['deployments'][number]>();
  const first = new Map<string, number>();
  for (const d of ctx.deployments) {
    const id = d.statement.predicate.device.id;
    const at = instant(d.statement.predicate.observedAt);
    const seen = latest.get(id);
    if (seen === undefined || at >= instant(seen.statement.predicate.observedAt)) latest.set(id, d);
    if (d.statement.subject.some((s) => s.digest.sha256 === hex))
      first.set(id, Math.min(first.get(id) ?? Number.POSITIVE_INFINITY, at));
  }
  const out = new Map<string, RunningDevice>();
  for (const [id, d] of latest) {
    if (!d.statement.subject.some((s) => s.digest.sha256 === hex)) continue;
    // The inventory, when it names another image, is the operator's newer record.
    const inv = ctx.devices.get(id)?.firmware;
    if (inv !== undefined && inv.sha256.toLowerCase() !== hex) continue;
    out.set(id, { id, deployment: d, since: first.get(id) });
  }
  for (const device of ctx.devices.values()) {
    if (device.firmware?.sha256.toLowerCase() !== hex || out.has(device.id)) continue;
    out.set(device.id, { id: device.id, deployment: undefined, since: undefined });
  }
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function deviceSentence(devices: readonly RunningDevice[]): string {
  if (devices.length === 0) return 'No device is known to run it.';
  const shown = devices.slice(0, 5).map((d) => d.id);
  const more = devices.length - shown.length;
  return `Running on ${shown.join(', ')}${more > 0 ? ` and ${more} more device(s)` : ''}.`;
}

/** The summary of the diff report a `different` attestation names, from the gathered reports. */
function diffEvidence(ctx: EvidenceIndex, rebuild: Rebuild): DiffEvidence | undefined {
  const named = rebuild.statement.predicate.diffReport;
  if (named === undefined) return undefined;
  const hex = named.digest.sha256;
  const report = `sha256:${hex}`;
  const found = ctx.evidence.rebuildDiffs?.find((d) => d.sha256 === hex);
  if (found?.report === undefined) {
    return {
      type: 'diff',
      report,
      statement: rebuild.index,
      available: false,
      detail:
        found?.problem === undefined
          ? `the diff report ${report} is not in the blob store the check read; the differences are not summarised`
          : `the blob ${report} is not a diff report (${found.problem})`,
    };
  }
  const r = found.report;
  const count = (change: string) => r.files.filter((f) => f.change === change).length;
  const ordered = [
    ...r.files.filter((f) => f.change !== 'metadata'),
    ...r.files.filter((f) => f.change === 'metadata'),
  ];
  const files = ordered
    .slice(0, MAX_DIFF_FILES)
    .map((f) => ({ path: f.path, change: f.change, classification: f.classification }));
  const summary = (list: typeof r.indicators.onlyInA) =>
    list
      .slice(0, MAX_DIFF_FILES)
      .map((i) => ({ kind: i.kind, rule: i.rule, path: i.path, detail: i.detail }));
  const counts = {
    added: count('added'),
    removed: count('removed'),
    content: count('content'),
    metadata: count('metadata'),
  };
  const harmless =
    counts.metadata === 0
      ? ''
      : `; ${counts.metadata} in metadata only (${[...new Set(r.files.filter((f) => f.change === 'metadata').map((f) => f.classification))].join(', ')})`;
  return {
    type: 'diff',
    report,
    statement: rebuild.index,
    available: true,
    equivalent: r.equivalent,
    counts,
    files,
    omitted: ordered.length - files.length,
    indicators: { onlyInA: summary(r.indicators.onlyInA), onlyInB: summary(r.indicators.onlyInB) },
    detail: `${counts.added} added, ${counts.removed} removed, ${counts.content} changed in content${harmless}; ${r.indicators.onlyInB.length} back-door indicator(s) only in the released image`,
  };
}

interface ReproductionPromise {
  readonly agreement: LoggedStatement;
  readonly clause: Extract<AgreementClause, { clause: 'release-reproduced' }>;
}

function judgeImage(
  ctx: EvidenceIndex,
  release: Release,
  hex: string,
  promise: ReproductionPromise,
): Finding | undefined {
  const p = release.statement.predicate;
  const digest = digestRef(hex);
  // An attestation counts when the log index it names is a release naming the image it names
  // (the same image logged twice is the same bytes, whichever release entry the lab cited).
  const attestations = ctx.rebuilds.filter((a) => {
    const named = a.statement.predicate.release;
    return (
      named.digest.sha256 === hex &&
      instant(a.statement.predicate.attestedAt) <= ctx.now &&
      ctx.releasesNaming(hex).some((r) => r.index === named.index)
    );
  });
  const devices = devicesRunning(ctx, hex);
  const deviceEvidence = devices
    .flatMap((d) => (d.deployment === undefined ? [] : [d.deployment]))
    .slice(0, MAX_DEVICE_EVIDENCE)
    .map(statementEvidence);
  const breaks = { type: 'clause', agreement: promise.agreement.index, clause: CLAUSE } as const;
  const subject = { vendor: p.vendor, release: digest };
  const different = attestations.filter((a) => a.statement.predicate.verdict === 'different');
  if (different.length > 0) {
    const labs = [...new Set(different.map((a) => a.statement.predicate.evaluator))];
    const diffs = different.flatMap((a) => {
      const e = diffEvidence(ctx, a);
      return e === undefined ? [] : [e];
    });
    const what = diffs
      .find((d) => d.available)
      ?.files?.filter((f) => f.change !== 'metadata')
      .slice(0, 3);
    return makeFinding({
      kind: 'release-not-equivalent',
      severity: 'critical',
      subject,
      breaks,
      what: 'not-equivalent',
      firstSeen: Math.min(...different.map((a) => instant(a.statement.predicate.attestedAt))),
      lastSeen: ctx.now,
      explanation: `${labs.join(' and ')} rebuilt ${p.vendor} release ${p.version} from the reviewed source and found it not equivalent to the released image${what === undefined || what.length === 0 ? '' : ` (${what.map((f) => `${f.change} ${f.path}`).join(', ')})`}. ${deviceSentence(devices)}`,
      evidence: [
        statementEvidence(release),
        ...different.flatMap((a): Evidence[] => {
          const e = diffs.find((d) => d.statement === a.index);
          return [statementEvidence(a), ...(e === undefined ? [] : [e])];
        }),
        statementEvidence(promise.agreement),
        ...deviceEvidence,
      ],
    });
  }
  const { evaluators, within_days: days } = promise.clause;
  const a = promise.agreement.statement;
  const agreementFrom =
    a.predicateType === AGREEMENT_PREDICATE_TYPE
      ? instant(a.predicate.validity.from)
      : Number.NEGATIVE_INFINITY;
  const seen = devices.flatMap((d) => (d.since === undefined ? [] : [d.since]));
  const opened = Math.max(Math.min(instant(p.releasedAt), ...seen), agreementFrom);
  const due = opened + days * DAY_MS;
  if (ctx.now <= due) return undefined;
  const equivalent = attestations.filter((a) => a.statement.predicate.verdict === 'equivalent');
  const labs = [...new Set(equivalent.map((a) => a.statement.predicate.evaluator))].sort();
  if (labs.length >= evaluators) return undefined;
  return makeFinding({
    kind: 'release-not-reproduced',
    severity: 'high',
    subject,
    breaks,
    what: 'not-reproduced',
    firstSeen: due,
    lastSeen: ctx.now,
    explanation: `${p.vendor} release ${p.version} (${digest.slice(0, 19)}…) is attested equivalent by ${labs.length === 0 ? 'none' : `${labs.length} (${labs.join(', ')})`} of the ${evaluators} distinct evaluator(s) the agreement asks for by ${iso(due).slice(0, 10)}. ${deviceSentence(devices)}`,
    evidence: [
      statementEvidence(release),
      ...equivalent.map(statementEvidence),
      statementEvidence(promise.agreement),
      ...deviceEvidence,
    ],
  });
}

/** Findings of kinds `release-not-equivalent` and `release-not-reproduced`. */
export function releaseReproduction(ctx: EvidenceIndex): Finding[] {
  const out: Finding[] = [];
  for (const release of ctx.releases) {
    const promise = ctx.clauseOf(release.statement.predicate.vendor, CLAUSE);
    if (promise === undefined) continue;
    for (const hex of new Set(release.statement.subject.map((s) => s.digest.sha256))) {
      const finding = judgeImage(ctx, release, hex, promise);
      if (finding !== undefined) out.push(finding);
    }
  }
  return out;
}
