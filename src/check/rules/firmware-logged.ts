/**
 * firmware-not-logged: a device runs an image that no logged release of its vendor (and model)
 * names, or whose release was logged only after the deployment was observed (agreement clause
 * `firmware-logged-before-deployment`).
 */
import { MAX_ABSENCE_RELEASES } from '../../statements/absence-evidence.js';
import type { Evidence, Finding } from '../finding.js';
import type { EvidenceIndex } from '../evidence-index.js';
import { makeFinding, statementEvidence } from '../make-finding.js';
import { digestRef, instant } from '../normalise.js';
import { nameKey, sameVendor } from '../../inventory/vendor-identity.js';
import type { LoggedStatement } from '../evidence.js';

interface Observation {
  readonly device: string;
  readonly vendor: string | undefined;
  readonly model: string | undefined;
  readonly digest: string;
  readonly observedAt: number;
  /** The deployment statement that recorded it (absent for an inventory-only observation). */
  readonly deployment: LoggedStatement | undefined;
}

function observations(ctx: EvidenceIndex): Observation[] {
  const byKey = new Map<string, Observation>();
  for (const d of ctx.deployments) {
    const p = d.statement.predicate;
    const inv = ctx.devices.get(p.device.id);
    for (const s of d.statement.subject) {
      const digest = digestRef(s.digest.sha256);
      const key = `${p.device.id}\u0000${digest}`;
      const seen = byKey.get(key);
      const at = instant(p.observedAt);
      // The first observation is the one the clause is about ("before deployment").
      if (seen !== undefined && seen.observedAt <= at) continue;
      byKey.set(key, {
        device: p.device.id,
        vendor: p.device.vendor ?? inv?.vendor,
        model: p.device.model ?? inv?.model,
        digest,
        observedAt: at,
        deployment: d,
      });
    }
  }
  for (const inv of ctx.devices.values()) {
    if (inv.firmware === undefined) continue;
    const digest = digestRef(inv.firmware.sha256);
    const key = `${inv.id}\u0000${digest}`;
    if (byKey.has(key)) continue;
    byKey.set(key, {
      device: inv.id,
      vendor: inv.vendor,
      model: inv.model,
      digest,
      observedAt: ctx.now,
      deployment: undefined,
    });
  }
  return [...byKey.values()];
}

/**
 * The proof that no release names `digest` at the checkpoint: the vendor's release statements
 * there, each with its tlog-proof, so a verifier sees which releases exist and that none names
 * the digest (and, holding a copy of the log, that there are no others).
 */
function absence(ctx: EvidenceIndex, vendor: string, digest: string): Evidence {
  const own = ctx.releases.filter((r) => sameVendor(r.statement.predicate.vendor, vendor));
  const kept = own.slice(0, MAX_ABSENCE_RELEASES);
  return {
    type: 'absence',
    digest,
    checkpoint: ctx.evidence.checkpoint ?? '',
    detail: `none of the ${ctx.releases.length} release statements in the log at this checkpoint names ${digest}; the ${own.length} of ${vendor} are included${own.length > kept.length ? ` (the first ${kept.length})` : ''}`,
    vendor,
    releases: kept.map((r) => ({ index: r.index, envelope: r.envelope, tlogProof: r.tlogProof })),
    omitted: own.length - kept.length,
  };
}

function modelCovered(models: readonly string[], model: string | undefined): boolean {
  return model === undefined || models.some((m) => nameKey(m) === nameKey(model));
}

/** Findings of kind `firmware-not-logged`. */
export function firmwareNotLogged(ctx: EvidenceIndex): Finding[] {
  const out: Finding[] = [];
  for (const o of observations(ctx)) {
    if (o.vendor === undefined) continue;
    const promise = ctx.clauseOf(o.vendor, 'firmware-logged-before-deployment');
    if (promise === undefined) continue;
    const breaks = {
      type: 'clause',
      agreement: promise.agreement.index,
      clause: 'firmware-logged-before-deployment',
    } as const;
    const seen: Evidence[] = o.deployment === undefined ? [] : [statementEvidence(o.deployment)];
    const base = {
      kind: 'firmware-not-logged',
      subject: { device: o.device, vendor: o.vendor, release: o.digest },
      breaks,
      firstSeen: o.observedAt,
      lastSeen: o.observedAt,
    } as const;
    const naming = ctx.releasesNaming(o.digest);
    const own = naming.filter(
      (r) =>
        sameVendor(r.statement.predicate.vendor, o.vendor ?? '') &&
        modelCovered(r.statement.predicate.models, o.model),
    );
    if (naming.length === 0) {
      out.push(
        makeFinding({
          ...base,
          severity: 'critical',
          what: 'unlogged',
          explanation: `Device ${o.device} (${o.vendor}) runs image ${o.digest.slice(0, 19)}… that no logged release names.`,
          evidence: [...seen, absence(ctx, o.vendor, o.digest)],
        }),
      );
      continue;
    }
    if (own.length === 0) {
      const other = naming[0];
      if (other === undefined) continue;
      out.push(
        makeFinding({
          ...base,
          severity: 'critical',
          what: 'other-vendor-or-model',
          explanation: `Device ${o.device} (${o.vendor}${o.model === undefined ? '' : ` ${o.model}`}) runs image ${o.digest.slice(0, 19)}… logged only as a release of ${other.statement.predicate.vendor} ${other.statement.predicate.models.join(', ')}.`,
          evidence: [...seen, ...naming.map(statementEvidence)],
        }),
      );
      continue;
    }
    if (o.deployment === undefined) continue;
    const earliest = own.reduce((a, b) => (b.index < a.index ? b : a));
    if (earliest.index > o.deployment.index) {
      out.push(
        makeFinding({
          ...base,
          severity: 'high',
          what: 'logged-after-deployment',
          explanation: `Device ${o.device} (${o.vendor}) ran image ${o.digest.slice(0, 19)}… before its release was logged (release at log index ${earliest.index}, deployment at ${o.deployment.index}).`,
          evidence: [...seen, statementEvidence(earliest)],
        }),
      );
    }
  }
  return out;
}
