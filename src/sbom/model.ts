/**
 * One model for CycloneDX and SPDX documents: what nospy checks (components to match against
 * advisories, the dependency graph, declared services) and what did not conform.
 */

export type SbomFormat = 'CycloneDX' | 'SPDX';

export interface ComponentHash {
  readonly alg: string;
  readonly content: string;
}

export interface Component {
  /** `bom-ref` (CycloneDX) or `SPDXID` (SPDX); a JSON pointer when the document gives none. */
  readonly ref: string;
  readonly name: string;
  readonly version: string | null;
  readonly group: string | null;
  /** CycloneDX `type` or SPDX `primaryPackagePurpose`. */
  readonly type: string | null;
  readonly purl: string | null;
  readonly cpe: string | null;
  readonly supplier: string | null;
  readonly hashes: readonly ComponentHash[];
  readonly licenses: readonly string[];
  /** JSON pointer of the component in the document. */
  readonly path: string;
  /** True for the document's subject (CycloneDX `metadata.component`, SPDX `documentDescribes`). */
  readonly primary: boolean;
}

export interface Dependency {
  readonly ref: string;
  readonly dependsOn: readonly string[];
}

/** One network endpoint a service declares, with what could be read from it. */
export interface ServiceEndpoint {
  readonly url: string;
  readonly protocol: string | null;
  readonly host: string | null;
  readonly port: number | null;
}

export interface Service {
  readonly ref: string;
  readonly name: string;
  readonly version: string | null;
  readonly provider: string | null;
  readonly endpoints: readonly ServiceEndpoint[];
  readonly authenticated: boolean | null;
  readonly trustBoundary: boolean | null;
  /** `data[].flow` values: inbound, outbound, bi-directional, unknown. */
  readonly flows: readonly string[];
  /** nospy's declaration properties (`nospy:direction`, `nospy:transport`, `nospy:port`, …). */
  readonly properties: Readonly<Record<string, string>>;
  readonly path: string;
}

/** Something in the document that does not conform but does not stop reading it. */
export interface Deviation {
  readonly kind: 'purl' | 'reference' | 'structure' | 'limit';
  /** JSON pointer of the offending value. */
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export interface SbomDocument {
  readonly format: SbomFormat;
  readonly specVersion: string;
  readonly name: string | null;
  readonly components: readonly Component[];
  readonly dependencies: readonly Dependency[];
  readonly services: readonly Service[];
  readonly deviations: readonly Deviation[];
}

/** A schema violation with its place in the file. */
export interface SchemaViolation {
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export interface SchemaResult {
  /** False when nospy ships no schema for this version (CycloneDX 1.2 and 1.3). */
  readonly validated: boolean;
  readonly schema: string | null;
  readonly valid: boolean;
  readonly violations: readonly SchemaViolation[];
}
