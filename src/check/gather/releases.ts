/**
 * What the logged releases bring to a check: the MUD file and SBOM services a scanned image's
 * release declares,
 * and the advisories that apply to the components of a release's SBOM.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { FirmwareError } from '../../firmware/errors.js';
import { DEFAULT_LIMITS } from '../../firmware/limits.js';
import { effectiveLimit } from '../../io/bounded-read.js';
import type { AdvisoryIndex } from '../../osv/advisory-index.js';
import type { SbomDocument } from '../../sbom/model.js';
import { findVulnerabilities } from '../../sbom/vulnerabilities.js';
import type { StatementOf } from '../evidence-index.js';
import type { ComponentVulnerability, LoggedStatement } from '../evidence.js';
import type { BlobSource } from './blobs.js';
import { RELEASE_PREDICATE_TYPE } from '../../statements/predicates/release.js';
import { sbomNetworkDeclaration } from '../../firmware/declared-sbom.js';
import { readSbomText } from '../../sbom/read-sbom.js';

export type LoggedRelease = StatementOf<typeof RELEASE_PREDICATE_TYPE>;

export function isRelease(s: LoggedStatement): s is LoggedRelease {
  return s.statement.predicateType === RELEASE_PREDICATE_TYPE;
}

/** Hex SHA-256 of an image, streamed (it may be a gigabyte) and bounded as its scan is. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  const limit = effectiveLimit(DEFAULT_LIMITS.maxTotalBytes);
  let total = 0;
  for await (const chunk of createReadStream(file)) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      throw new FirmwareError(
        'FIRMWARE_IMAGE_UNREADABLE',
        `${file}: the image holds more than the limit of ${limit} bytes (reading stopped there)`,
        { where: file },
      );
    }
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/** What the logged release of an image declares about its network behaviour, as files. */
export interface ReleasedDeclarations {
  /** The release's MUD file. */
  readonly mud?: string;
  /** The release's SBOM, when it is CycloneDX and lists services (which declare behaviour too). */
  readonly sbom?: string;
}

/** Whether an SBOM declares anything about the network (firmware/declared-sbom.ts's rule). */
function declaresServices(file: string, text: string): boolean {
  try {
    return sbomNetworkDeclaration(readSbomText(file, text).document) !== undefined;
  } catch {
    // Not an SBOM nospy reads: the SBOM stage reports it; it declares nothing here.
    return false;
  }
}

/**
 * The files the logged release of `image` (the latest release naming the image's digest)
 * declares, read from the blob store: its MUD file, and its SBOM when that lists CycloneDX
 * `services` — an SBOM without services declares nothing, so it must not make every listener
 * undeclared. Empty when no release names the image or the store holds neither document.
 */
export async function releasedDeclarations(
  image: string,
  releases: readonly LoggedRelease[],
  blobs: BlobSource | undefined,
): Promise<ReleasedDeclarations> {
  if (blobs === undefined || releases.length === 0) return {};
  const digest = await fileSha256(image);
  const release = releases.findLast((r) =>
    r.statement.subject.some((s) => s.digest.sha256 === digest),
  );
  if (release === undefined) return {};
  const mud = await blobs.file(release.statement.predicate.mud.digest.sha256);
  // One verified read of the SBOM (a fetch, for a store behind a URL); then look at the copy.
  const sbomFile = await blobs.file(release.statement.predicate.sbom.digest.sha256);
  const sbom =
    sbomFile !== undefined && declaresServices(sbomFile, readFileSync(sbomFile, 'utf8'))
      ? sbomFile
      : undefined;
  return { ...(mud === undefined ? {} : { mud }), ...(sbom === undefined ? {} : { sbom }) };
}

/**
 * The advisories against the components of an SBOM, once for each image of each logged release
 * that names the SBOM by `sbomDigest` (the SBOM is tied to a release by that digest only).
 */
export function releaseVulnerabilities(
  sbomDigest: string,
  document: SbomDocument,
  releases: readonly LoggedRelease[],
  index: AdvisoryIndex,
): ComponentVulnerability[] {
  const naming = releases.filter((r) => r.statement.predicate.sbom.digest.sha256 === sbomDigest);
  if (naming.length === 0) return [];
  const found = findVulnerabilities(document, index).vulnerabilities;
  const out: ComponentVulnerability[] = [];
  for (const r of naming) {
    for (const s of r.statement.subject) {
      for (const v of found) {
        const rating =
          v.advisory.severity.find((x) => x.rating !== undefined)?.rating ??
          v.advisory.databaseSeverity;
        const range = v.ranges[0];
        const fixed = range?.fixed[0];
        out.push({
          release: `sha256:${s.digest.sha256}`,
          component: v.component.name,
          version: v.component.version ?? v.version,
          // OSV records keep `modified` only: the fix window starts then (an upper bound).
          advisory: {
            id: v.advisory.id,
            aliases: v.advisory.aliases,
            severity: rating,
            published: v.advisory.modified,
          },
          affected: range?.text ?? v.reason,
          ...(fixed === undefined ? {} : { fixed }),
        });
      }
    }
  }
  return out;
}
