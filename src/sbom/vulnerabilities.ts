/**
 * Matches an SBOM's components against an advisory index: each component with a purl is looked
 * up in its own ecosystem (never another distribution's), each finding names the component.
 */
import type { AdvisoryIndex } from '../osv/advisory-index.js';
import { matchPackage, queryOfPurl, type VulnerabilityFinding } from '../osv/match.js';
import type { Component, SbomDocument } from './model.js';
import { parsePurl } from './purl.js';

/** A finding together with the component it is about. */
export interface ComponentVulnerability extends VulnerabilityFinding {
  readonly component: {
    readonly ref: string;
    readonly name: string;
    readonly version: string | null;
    readonly purl: string | null;
  };
}

/** A component that could not be looked up, and why. */
export interface UnassessedComponent {
  readonly ref: string;
  readonly name: string;
  readonly reason: string;
}

export interface VulnerabilityReport {
  readonly vulnerabilities: readonly ComponentVulnerability[];
  /** Components that were looked up (had a readable purl and a version). */
  readonly componentsMatched: number;
  readonly notLookedUp: readonly UnassessedComponent[];
}

function lookup(component: Component): { query: ReturnType<typeof queryOfPurl>; reason: string } {
  if (component.purl === null) return { query: undefined, reason: 'no purl' };
  const { purl } = parsePurl(component.purl);
  if (purl === undefined) return { query: undefined, reason: 'malformed purl' };
  const query = queryOfPurl(purl, component.version ?? undefined);
  return { query, reason: query === undefined ? 'no version' : '' };
}

/** Finds every advisory that applies, or may apply, to the document's components. */
export function findVulnerabilities(
  document: SbomDocument,
  index: AdvisoryIndex,
): VulnerabilityReport {
  const vulnerabilities: ComponentVulnerability[] = [];
  const notLookedUp: UnassessedComponent[] = [];
  let matched = 0;
  for (const component of document.components) {
    const { query, reason } = lookup(component);
    if (query === undefined) {
      notLookedUp.push({ ref: component.ref, name: component.name, reason });
      continue;
    }
    matched += 1;
    for (const finding of matchPackage(index, query)) {
      vulnerabilities.push({
        ...finding,
        component: {
          ref: component.ref,
          name: component.name,
          version: component.version,
          purl: component.purl,
        },
      });
    }
  }
  return { vulnerabilities, componentsMatched: matched, notLookedUp };
}
