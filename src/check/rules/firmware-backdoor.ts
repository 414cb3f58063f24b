/**
 * firmware-backdoor-indicator: a back-door indicator (src/firmware rules) in a scanned image —
 * an undeclared outbound destination, a hard-coded credential, a shell without login, a known
 * back-door string. The subject is the image, with the vendor of the release that names it, or
 * (no release names it) the vendor of each device that runs it. It is first seen when the image
 * was first seen deployed (the earliest deployment statement), not at each run, and it names the
 * devices running the image.
 */
import { isBackdoorIndicator } from '../../firmware/indicators/types.js';
import type { BrokenPromise, Finding, Severity } from '../finding.js';
import type { EvidenceIndex } from '../evidence-index.js';
import { makeFinding, statementEvidence } from '../make-finding.js';
import { digestRef } from '../normalise.js';
import type { Indicator } from '../../firmware/indicators/types.js';
import type { LoggedStatement, ScannedImage } from '../evidence.js';

function severityOf(i: Indicator): Severity {
  switch (i.kind) {
    case 'backdoor.known_string':
    case 'credential.password_hash':
    case 'credential.uid0_extra_account':
    case 'ssh.authorized_keys':
      return 'critical';
    case 'outbound_destination':
    case 'listening_service':
    case 'key.private':
    case 'key.static_host_key':
      return 'high';
  }
}

/**
 * The vendors an image is attributed to: the vendor of the release that names it, else the
 * vendors of the devices that run it (an unreleased image running on a vendor's device breaks
 * that vendor's promise just as much); none when nothing ties the image to a vendor.
 */
function vendorsOf(ctx: EvidenceIndex, digest: string): (string | undefined)[] {
  const released = ctx.releasesNaming(digest)[0]?.statement.predicate.vendor;
  if (released !== undefined) return [released];
  const running = ctx.vendorsRunning(digest);
  return running.length === 0 ? [undefined] : running;
}

/** Findings of kind `firmware-backdoor-indicator`. */
export function firmwareBackdoorIndicators(ctx: EvidenceIndex): Finding[] {
  const out: Finding[] = [];
  for (const image of ctx.evidence.firmware ?? []) {
    const digest = digestRef(image.sha256);
    const releases = ctx.releasesNaming(digest);
    for (const vendor of vendorsOf(ctx, digest)) {
      out.push(...indicatorFindings(ctx, image, digest, vendor, releases));
    }
  }
  return out;
}

function indicatorFindings(
  ctx: EvidenceIndex,
  image: ScannedImage,
  digest: string,
  vendor: string | undefined,
  releases: readonly LoggedStatement[],
): Finding[] {
  const out: Finding[] = [];
  const agreement = vendor === undefined ? undefined : ctx.agreementOf(vendor);
  // A back door breaks the agreement's promise as a whole; without one, nospy's own rule.
  const breaks: BrokenPromise =
    agreement === undefined
      ? { type: 'rule', pack: 'nospy', rule: 'no-backdoor-indicators' }
      : { type: 'clause', agreement: agreement.index, clause: 'no-spy' };
  const running = ctx.runningImage(digest);
  const firstSeen = Math.min(running.since ?? ctx.now, ctx.now);
  const runners = running.devices.length === 0 ? '' : `, run by ${running.devices.join(', ')}`;
  for (const i of image.indicators) {
    if (!isBackdoorIndicator(i)) continue;
    const where = `${i.path}${i.line === undefined ? '' : `:${i.line}`}`;
    out.push(
      makeFinding({
        kind: 'firmware-backdoor-indicator',
        severity: severityOf(i),
        subject: vendor === undefined ? { release: digest } : { vendor, release: digest },
        breaks,
        what: `${i.kind}\u0000${i.rule}\u0000${i.path}\u0000${i.detail}`,
        firstSeen,
        lastSeen: ctx.now,
        explanation: `Image ${image.image}${vendor === undefined ? '' : ` (${vendor})`}${runners} contains a back-door indicator at ${where}: ${i.detail}.`,
        evidence: [
          {
            type: 'file',
            image: image.image,
            path: i.path,
            ...(i.line === undefined ? {} : { line: i.line }),
            ...(i.offset === undefined ? {} : { offset: i.offset }),
            detail: `${i.kind} (${i.rule}): ${i.evidence}`,
          },
          ...releases.map(statementEvidence),
          ...(agreement === undefined || releases.length > 0 ? [] : [statementEvidence(agreement)]),
        ],
      }),
    );
  }
  return out;
}
