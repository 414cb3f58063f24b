/**
 * firmware-not-logged (`superseded`): a device still runs a logged release although the vendor
 * logged a later security-fix release for the device's model more than the agreement's
 * `securityFixDays` ago (clause `firmware-logged-before-deployment`, parameter
 * `securityFixDays`). Both release statements are the evidence: the old one names the running
 * image, the new one carries `securityFix`, its model and its release date.
 */
import type { Evidence, Finding } from '../finding.js';
import type { EvidenceIndex, StatementOf } from '../evidence-index.js';
import { makeFinding, statementEvidence } from '../make-finding.js';
import { DAY_MS, digestRef, instant } from '../normalise.js';
import { nameKey, sameVendor, vendorKey } from '../../inventory/vendor-identity.js';
import type { LoggedStatement } from '../evidence.js';
import { RELEASE_PREDICATE_TYPE } from '../../statements/predicates/release.js';

type Release = StatementOf<typeof RELEASE_PREDICATE_TYPE>;

/** What a device runs now: the inventory's record, else its latest deployment statement. */
interface CurrentImage {
  readonly device: string;
  readonly vendor: string | undefined;
  readonly model: string | undefined;
  readonly digests: readonly string[];
  /** When this image was first seen on the device (the inventory counts as seen now). */
  readonly since: number;
  readonly deployment: LoggedStatement | undefined;
}

type Deployment = EvidenceIndex['deployments'][number];

function currentImages(ctx: EvidenceIndex): CurrentImage[] {
  const latest = new Map<string, Deployment>();
  // Each device's deployments, gathered once: a national network has 100,000 devices.
  const byDevice = new Map<string, Deployment[]>();
  for (const d of ctx.deployments) {
    const id = d.statement.predicate.device.id;
    const list = byDevice.get(id);
    if (list === undefined) byDevice.set(id, [d]);
    else list.push(d);
    const seen = latest.get(id);
    if (
      seen === undefined ||
      instant(d.statement.predicate.observedAt) >= instant(seen.statement.predicate.observedAt)
    ) {
      latest.set(id, d);
    }
  }
  const out: CurrentImage[] = [];
  for (const [id, d] of latest) {
    const inv = ctx.devices.get(id);
    const p = d.statement.predicate;
    const digests = d.statement.subject.map((s) => digestRef(s.digest.sha256));
    // The inventory, when it names another image, is the operator's newer record.
    if (inv?.firmware !== undefined && !digests.includes(digestRef(inv.firmware.sha256))) continue;
    out.push({
      device: id,
      vendor: p.device.vendor ?? inv?.vendor,
      model: p.device.model ?? inv?.model,
      digests,
      since: firstObserved(byDevice.get(id) ?? [], digests),
      deployment: d,
    });
  }
  for (const inv of ctx.devices.values()) {
    if (inv.firmware === undefined || latest.has(inv.id)) continue;
    out.push({
      device: inv.id,
      vendor: inv.vendor,
      model: inv.model,
      digests: [digestRef(inv.firmware.sha256)],
      since: ctx.now,
      deployment: undefined,
    });
  }
  return out;
}

/** The earliest of a device's observations that saw it running one of these digests. */
function firstObserved(deployments: readonly Deployment[], digests: readonly string[]): number {
  let first = Number.POSITIVE_INFINITY;
  for (const d of deployments) {
    if (!d.statement.subject.some((s) => digests.includes(digestRef(s.digest.sha256)))) continue;
    first = Math.min(first, instant(d.statement.predicate.observedAt));
  }
  return first;
}

function forModel(release: Release, model: string | undefined): boolean {
  return (
    model === undefined ||
    release.statement.predicate.models.some((m) => nameKey(m) === nameKey(model))
  );
}

/**
 * The earliest logged security-fix release of the same vendor and model that supersedes
 * `running`: it names the running image in `supersedes`, or it was released later.
 */
function supersedingFix(
  fixes: readonly Release[],
  running: Release,
  digest: string,
  model: string | undefined,
): Release | undefined {
  const vendor = vendorKey(running.statement.predicate.vendor);
  const releasedAt = instant(running.statement.predicate.releasedAt);
  let best: Release | undefined;
  for (const r of fixes) {
    const p = r.statement.predicate;
    if (r === running) continue;
    if (vendorKey(p.vendor) !== vendor || !forModel(r, model)) continue;
    if (r.statement.subject.some((s) => digestRef(s.digest.sha256) === digest)) continue;
    const named = p.supersedes !== undefined && digestRef(p.supersedes.digest.sha256) === digest;
    if (!named && instant(p.releasedAt) <= releasedAt) continue;
    if (
      best === undefined ||
      instant(p.releasedAt) < instant(best.statement.predicate.releasedAt)
    ) {
      best = r;
    }
  }
  return best;
}

/** Findings of kind `firmware-not-logged` with `what: superseded`. */
export function firmwareSuperseded(ctx: EvidenceIndex): Finding[] {
  const out: Finding[] = [];
  // Only security-fix releases can supersede; most checks have none, or no clause with a window.
  const fixes = ctx.releases.filter((r) => r.statement.predicate.securityFix !== undefined);
  if (fixes.length === 0) return out;
  for (const c of currentImages(ctx)) {
    if (c.vendor === undefined) continue;
    const promise = ctx.clauseOf(c.vendor, 'firmware-logged-before-deployment');
    const days = promise?.clause.securityFixDays;
    if (promise === undefined || days === undefined) continue;
    for (const digest of c.digests) {
      const running = ctx
        .releasesNaming(digest)
        .find(
          (r) => sameVendor(r.statement.predicate.vendor, c.vendor ?? '') && forModel(r, c.model),
        );
      if (running === undefined) continue;
      const fix = supersedingFix(fixes, running, digest, c.model);
      if (fix === undefined) continue;
      const due = instant(fix.statement.predicate.releasedAt) + days * DAY_MS;
      if (ctx.now <= due) continue;
      const fixP = fix.statement.predicate;
      const evidence: Evidence[] = [
        ...(c.deployment === undefined ? [] : [statementEvidence(c.deployment)]),
        statementEvidence(running),
        statementEvidence(fix),
        statementEvidence(promise.agreement),
      ];
      out.push(
        makeFinding({
          kind: 'firmware-not-logged',
          severity: 'high',
          subject: { device: c.device, vendor: c.vendor, release: digest },
          breaks: {
            type: 'clause',
            agreement: promise.agreement.index,
            clause: 'firmware-logged-before-deployment',
          },
          what: 'superseded',
          firstSeen: Math.max(due, c.since),
          lastSeen: ctx.now,
          explanation: `Device ${c.device} (${c.vendor}) still runs release ${running.statement.predicate.version}, superseded by security-fix release ${fixP.version} (${fixP.securityFix?.advisories.join(', ') ?? ''}) of ${fixP.releasedAt}, more than ${days} days ago.`,
          evidence,
        }),
      );
    }
  }
  return out;
}
