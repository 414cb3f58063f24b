/**
 * What the logged releases bring to a check: the MUD file a scanned image's release declares,
 * and the advisories that apply to the components of a release's SBOM.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { AdvisoryIndex } from '../../osv/advisory-index.js';
import type { SbomDocument } from '../../sbom/model.js';
import { findVulnerabilities } from '../../sbom/vulnerabilities.js';
import type { StatementOf } from '../context.js';
import type { ComponentVulnerability, LoggedStatement } from '../evidence.js';
import type { BlobSource } from './blobs.js';

export type LoggedRelease = StatementOf<'https://nospy.dev/predicates/release/v1'>;

export function isRelease(s: LoggedStatement): s is LoggedRelease {
  return s.statement.predicateType === 'https://nospy.dev/predicates/release/v1';
}

/** Hex SHA-256 of a file, streamed (an image may be a gigabyte). */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A file holding the MUD file that the logged release of `image` declares (the latest release
 * naming the image's digest), read from the blob store; undefined when no release names the
 * image or the store does not hold the MUD file.
 */
export async function releasedMud(
  image: string,
  releases: readonly LoggedRelease[],
  blobs: BlobSource | undefined,
): Promise<string | undefined> {
  if (blobs === undefined || releases.length === 0) return undefined;
  const digest = await fileSha256(image);
  const release = releases.findLast((r) =>
    r.statement.subject.some((s) => s.digest.sha256 === digest),
  );
  if (release === undefined) return undefined;
  return blobs.file(release.statement.predicate.mud.digest.sha256);
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
