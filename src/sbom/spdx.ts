/**
 * Reads an SPDX 2.3 JSON document into the SBOM model: packages become components (purl and CPE
 * from `externalRefs`), dependency relationships become the graph. SPDX 2.x has no element for
 * network services, so `services` is always empty.
 */
import { isObject, list, text, type JsonObject, type ReadLimits } from './fields.js';
import type { Component, Dependency, Deviation, SbomDocument } from './model.js';
import { checkComponentPurl } from './purl-deviation.js';

// SPDX 2.3 §11.1 relationship types that mean "A needs B" (forward) or "B needs A" (reverse).
const FORWARD = new Set(['DEPENDS_ON', 'CONTAINS', 'STATIC_LINK', 'DYNAMIC_LINK']);
const REVERSE = new Set([
  'DEPENDENCY_OF',
  'BUILD_DEPENDENCY_OF',
  'DEV_DEPENDENCY_OF',
  'OPTIONAL_DEPENDENCY_OF',
  'PROVIDED_DEPENDENCY_OF',
  'RUNTIME_DEPENDENCY_OF',
  'TEST_DEPENDENCY_OF',
  'CONTAINED_BY',
]);

function noAssertion(value: string | null): string | null {
  return value === null || value === 'NOASSERTION' || value === 'NONE' ? null : value;
}

function readPackage(
  pkg: JsonObject,
  path: string,
  primary: boolean,
  deviations: Deviation[],
): Component {
  let purl: string | null = null;
  let cpe: string | null = null;
  list(pkg.externalRefs).forEach((ref, i) => {
    if (!isObject(ref)) return;
    const type = text(ref.referenceType);
    const locator = text(ref.referenceLocator);
    if (locator === null) return;
    if (type === 'purl' && purl === null) {
      purl = locator;
      deviations.push(...checkComponentPurl(locator, `${path}/externalRefs/${i}/referenceLocator`));
    } else if ((type === 'cpe23Type' || type === 'cpe22Type') && cpe === null) {
      cpe = locator;
    }
  });
  const licenses = [noAssertion(text(pkg.licenseConcluded)), noAssertion(text(pkg.licenseDeclared))]
    .filter((l): l is string => l !== null)
    .filter((l, i, all) => all.indexOf(l) === i);
  return {
    ref: text(pkg.SPDXID) ?? path,
    name: text(pkg.name) ?? '',
    version: text(pkg.versionInfo),
    group: null,
    type: text(pkg.primaryPackagePurpose),
    purl,
    cpe,
    supplier: noAssertion(text(pkg.supplier)),
    hashes: list(pkg.checksums).flatMap((c) =>
      isObject(c) && typeof c.algorithm === 'string' && typeof c.checksumValue === 'string'
        ? [{ alg: c.algorithm, content: c.checksumValue }]
        : [],
    ),
    licenses,
    path,
    primary,
  };
}

/** Reads a parsed SPDX 2.3 document. Never throws on content. */
export function readSpdx(doc: JsonObject, specVersion: string, limits: ReadLimits): SbomDocument {
  const deviations: Deviation[] = [];
  const described = new Set(
    list(doc.documentDescribes).filter((d): d is string => typeof d === 'string'),
  );
  const relationships = list(doc.relationships);
  for (const r of relationships) {
    if (
      isObject(r) &&
      r.relationshipType === 'DESCRIBES' &&
      r.spdxElementId === 'SPDXRef-DOCUMENT'
    ) {
      const target = text(r.relatedSpdxElement);
      if (target !== null) described.add(target);
    }
  }
  const components: Component[] = [];
  const packages = list(doc.packages);
  packages.forEach((pkg, i) => {
    if (!isObject(pkg)) return;
    if (components.length >= limits.maxComponents) {
      if (components.length === limits.maxComponents) {
        deviations.push({
          kind: 'limit',
          path: `/packages/${i}`,
          message: `more than ${limits.maxComponents} packages; the rest were not read`,
        });
      }
      return;
    }
    const id = text(pkg.SPDXID);
    components.push(
      readPackage(pkg, `/packages/${i}`, id !== null && described.has(id), deviations),
    );
  });
  const known = new Set(components.map((c) => c.ref));
  for (const f of list(doc.files))
    if (isObject(f) && typeof f.SPDXID === 'string') known.add(f.SPDXID);
  for (const s of list(doc.snippets))
    if (isObject(s) && typeof s.SPDXID === 'string') known.add(s.SPDXID);
  known.add('SPDXRef-DOCUMENT');
  const graph = new Map<string, string[]>();
  relationships.slice(0, limits.maxEntries).forEach((r, i) => {
    if (!isObject(r)) return;
    const type = text(r.relationshipType) ?? '';
    const a = text(r.spdxElementId);
    const b = text(r.relatedSpdxElement);
    if (a === null || b === null) return;
    const forward = FORWARD.has(type);
    if (!forward && !REVERSE.has(type)) return;
    for (const [ref, key] of [
      [a, 'spdxElementId'],
      [b, 'relatedSpdxElement'],
    ] as const) {
      // NONE / NOASSERTION are allowed targets (SPDX 2.3 §11.1); external refs carry a prefix.
      if (
        !known.has(ref) &&
        ref !== 'NONE' &&
        ref !== 'NOASSERTION' &&
        !ref.startsWith('DocumentRef-')
      ) {
        deviations.push({
          kind: 'reference',
          path: `/relationships/${i}/${key}`,
          message: `'${ref}' names no element in this document`,
        });
      }
    }
    const [from, to] = forward ? [a, b] : [b, a];
    const edges = graph.get(from);
    if (edges === undefined) graph.set(from, [to]);
    else if (!edges.includes(to)) edges.push(to);
  });
  const dependencies: Dependency[] = [...graph].map(([ref, dependsOn]) => ({ ref, dependsOn }));
  return {
    format: 'SPDX',
    specVersion,
    name: text(doc.name),
    components,
    dependencies,
    services: [],
    deviations,
  };
}
