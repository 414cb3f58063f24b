/**
 * Advisories indexed by (ecosystem, normalised package name), and by the advisory's own purl
 * (type/namespace/name) for packages with no OSV ecosystem of their own (`pkg:generic/dnsmasq`
 * in OSS-Fuzz records).
 */
import { formatPurl, parsePurl } from '../sbom/purl.js';
import {
  ecosystemKey,
  normalisePackageName,
  orderingFor,
  parseEcosystem,
  releaseCovers,
  type EcosystemRef,
} from './ecosystem.js';
import { compileAffected, type CompiledAffected } from './affected.js';
import type { Affected, OsvRecord } from './record.js';
import type { VersionOrdering } from './versions/ordering.js';

/** One affected entry together with its record and parsed ecosystem. */
export interface IndexedAffected {
  readonly record: OsvRecord;
  readonly affected: Affected;
  readonly ecosystem: EcosystemRef;
  /** The ordering of the entry's ECOSYSTEM ranges, looked up once here rather than per match. */
  readonly ordering: VersionOrdering | undefined;
  /** The entry compiled for judging, built on first use and kept with the index. */
  readonly compiled: CompiledAffected;
}

/** An index entry that compiles itself the first time a component meets it. */
class IndexEntry implements IndexedAffected {
  #compiled: CompiledAffected | undefined;
  readonly ordering: VersionOrdering | undefined;

  constructor(
    readonly record: OsvRecord,
    readonly affected: Affected,
    readonly ecosystem: EcosystemRef,
  ) {
    this.ordering = orderingFor(ecosystem.base);
  }

  get compiled(): CompiledAffected {
    this.#compiled ??= compileAffected(this.affected, this.ordering);
    return this.#compiled;
  }
}

export interface AdvisoryIndex {
  /** Entries for this ecosystem base and package name. */
  byPackage(base: string, name: string): readonly IndexedAffected[];
  /**
   * Entries for this package whose ecosystem covers the component's (`ecosystemCovers`): its
   * release and variant too, in index order. Kept per release once asked, since an SBOM's
   * components share a handful of releases.
   */
  covering(component: EcosystemRef, name: string): readonly IndexedAffected[];
  /** Entries whose advisory purl (without version and qualifiers) is this one. */
  byPurl(purlKey: string): readonly IndexedAffected[];
  readonly recordCount: number;
  /** Records left out because they are withdrawn (OSV `withdrawn`). */
  readonly withdrawnCount: number;
}

const MAX_COVERING = 200_000;

function packageKey(base: string, name: string): string {
  return `${ecosystemKey(base)}\u0000${normalisePackageName(base, name)}`;
}

/** The purl key advisories and components share: `pkg:type/namespace/name`, no version. */
export function purlKeyOf(text: string): string | undefined {
  const { purl } = parsePurl(text);
  return purl === undefined ? undefined : formatPurl({ ...purl, version: undefined });
}

/** Builds the index. Withdrawn records are left out: they no longer claim anything. */
export function buildAdvisoryIndex(records: readonly OsvRecord[]): AdvisoryIndex {
  const packages = new Map<string, IndexedAffected[]>();
  const purls = new Map<string, IndexedAffected[]>();
  const add = (map: Map<string, IndexedAffected[]>, key: string, entry: IndexedAffected): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [entry]);
    else list.push(entry);
  };
  let withdrawn = 0;
  for (const record of records) {
    if (record.withdrawn !== undefined) {
      withdrawn += 1;
      continue;
    }
    for (const affected of record.affected) {
      if (affected.package === undefined) continue;
      const ecosystem = parseEcosystem(affected.package.ecosystem);
      const entry = new IndexEntry(record, affected, ecosystem);
      add(packages, packageKey(ecosystem.base, affected.package.name), entry);
      const key =
        affected.package.purl === undefined ? undefined : purlKeyOf(affected.package.purl);
      if (key !== undefined) add(purls, key, entry);
    }
  }
  const covering = new Map<string, readonly IndexedAffected[]>();
  return {
    byPackage: (base, name) => packages.get(packageKey(base, name)) ?? [],
    covering: (component, name) => {
      const key = packageKey(component.base, name);
      const all = packages.get(key);
      if (all === undefined) return [];
      if (component.release === undefined) return all;
      const releaseKey = `${key}\u0000${component.release}\u0000${component.variant ?? ''}`;
      let list = covering.get(releaseKey);
      if (list === undefined) {
        // Bounded like the version memo: an index meets at most so many distinct releases.
        if (covering.size >= MAX_COVERING) covering.clear();
        list = all.filter((entry) => releaseCovers(entry.ecosystem, component));
        covering.set(releaseKey, list);
      }
      return list;
    },
    byPurl: (key) => purls.get(key) ?? [],
    recordCount: records.length - withdrawn,
    withdrawnCount: withdrawn,
  };
}
