/**
 * firmware-unscanned: part of a scanned image could not be examined (a container or compressor
 * nospy does not read, a limit hit, corrupt data), so the absence of back-door indicators there
 * says nothing. One finding per image, naming every part and why; the subject is the image with
 * the vendor of the release that names it.
 */
import type { BrokenPromise, Finding } from '../finding.js';
import type { EvidenceIndex } from '../evidence-index.js';
import { makeFinding, statementEvidence } from '../make-finding.js';
import { digestRef } from '../normalise.js';

/** Findings of kind `firmware-unscanned`. */
export function firmwareUnscanned(ctx: EvidenceIndex): Finding[] {
  const out: Finding[] = [];
  for (const image of ctx.evidence.firmware ?? []) {
    const parts = image.unexamined ?? [];
    if (parts.length === 0) continue;
    const digest = digestRef(image.sha256);
    const releases = ctx.releasesNaming(digest);
    const vendor = releases[0]?.statement.predicate.vendor;
    const breaks: BrokenPromise = { type: 'rule', pack: 'nospy', rule: 'firmware-fully-scanned' };
    const reasons = [...new Set(parts.map((p) => p.reason))].sort();
    out.push(
      makeFinding({
        kind: 'firmware-unscanned',
        severity: 'medium',
        subject: vendor === undefined ? { release: digest } : { vendor, release: digest },
        breaks,
        what: parts.map((p) => `${p.reason}\u0000${p.where}`).join('\u0001'),
        firstSeen: ctx.now,
        lastSeen: ctx.now,
        explanation: `Image ${image.image}${vendor === undefined ? '' : ` (${vendor})`} could not be scanned whole: ${parts.length} part(s) not examined (${reasons.join(', ')}), so no back-door indicator there is not evidence of none.`,
        evidence: [
          ...parts.map((p) => ({
            type: 'file' as const,
            image: image.image,
            path: p.where,
            detail: `${p.reason}: ${p.detail}`,
          })),
          ...releases.map(statementEvidence),
        ],
      }),
    );
  }
  return out;
}
