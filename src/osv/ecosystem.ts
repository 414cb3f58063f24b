/**
 * OSV ecosystems (ossf/osv-schema ecosystems.json and the schema's "affected[].package" notes):
 * which distribution and release an ecosystem string names, how a package URL maps onto one, and
 * which version ordering applies. One distribution's advisory never applies to another's package,
 * and when both sides name a release, the releases must be equal.
 */
import type { PackageUrl } from '../sbom/purl.js';
import { dpkgOrdering } from './versions/dpkg.js';
import type { VersionOrdering } from './versions/ordering.js';
import { pep440Ordering } from './versions/pep440.js';
import { semverOrdering } from './versions/semver.js';
import { apkOrdering } from './versions/apk.js';

/** An ecosystem string split into its base and, for distributions, release and variant. */
export interface EcosystemRef {
  /** `Debian`, `Ubuntu`, `Alpine`, `npm`, `PyPI`, `OSS-Fuzz`… */
  readonly base: string;
  /** `11`, `22.04`, `3.18`, or undefined when not given. */
  readonly release: string | undefined;
  /** Ubuntu's `Pro` (ESM) stream, which has its own package versions. */
  readonly variant: string | undefined;
}

/** Parses `Ubuntu:Pro:18.04:LTS`, `Debian:11`, `Alpine:v3.18`, `npm`. */
export function parseEcosystem(text: string): EcosystemRef {
  const [base = '', ...parts] = text.split(':');
  let release: string | undefined;
  const variants: string[] = [];
  for (const part of parts) {
    if (release === undefined && /^v?[0-9]/.test(part)) release = part.replace(/^v/, '');
    else if (part !== 'LTS' && part !== '') variants.push(part);
  }
  return { base, release, variant: variants.length > 0 ? variants.join(':') : undefined };
}

/** The key the advisory index is keyed by: base ecosystem, lower-cased. */
export function ecosystemKey(base: string): string {
  return base.toLowerCase();
}

/** Package names as each ecosystem compares them. */
export function normalisePackageName(base: string, name: string): string {
  switch (ecosystemKey(base)) {
    case 'pypi':
      // PEP 503 normalised name.
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'debian':
    case 'ubuntu':
    case 'alpine':
    case 'npm':
    case 'packagist':
    case 'hex':
      return name.toLowerCase();
    default:
      return name;
  }
}

/** The ordering an ECOSYSTEM range uses in this ecosystem, or undefined when nospy has none. */
export function orderingFor(base: string): VersionOrdering | undefined {
  switch (ecosystemKey(base)) {
    case 'debian':
    case 'ubuntu':
      return dpkgOrdering;
    case 'alpine':
      return apkOrdering;
    case 'pypi':
      return pep440Ordering;
    case 'npm':
    case 'crates.io':
    case 'go':
    case 'hex':
    case 'pub':
      return semverOrdering;
    default:
      return undefined;
  }
}

// Release codenames as they appear in purl `distro` qualifiers.
const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  buzz: '1.1',
  rex: '1.2',
  bo: '1.3',
  hamm: '2.0',
  slink: '2.1',
  potato: '2.2',
  woody: '3.0',
  sarge: '3.1',
  etch: '4',
  lenny: '5',
  squeeze: '6',
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
};
const UBUNTU_CODENAMES: Readonly<Record<string, string>> = {
  trusty: '14.04',
  xenial: '16.04',
  bionic: '18.04',
  cosmic: '18.10',
  disco: '19.04',
  eoan: '19.10',
  focal: '20.04',
  groovy: '20.10',
  hirsute: '21.04',
  impish: '21.10',
  jammy: '22.04',
  kinetic: '22.10',
  lunar: '23.04',
  mantic: '23.10',
  noble: '24.04',
  oracular: '24.10',
  plucky: '25.04',
  questing: '25.10',
};

function distroRelease(
  distro: string | undefined,
  prefix: string,
  codenames: Readonly<Record<string, string>>,
): { release: string | undefined; variant: string | undefined } {
  if (distro === undefined) return { release: undefined, variant: undefined };
  let d = distro.toLowerCase();
  let variant: string | undefined;
  // Ubuntu ESM streams: `esm-infra/bionic`, `trusty/esm` are the Pro ecosystem.
  if (/(^|\/)esm(-[a-z]+)?(\/|$)/.test(d)) {
    variant = 'Pro';
    d = d.split('/').find((s) => !s.startsWith('esm')) ?? d;
  }
  if (d.startsWith(`${prefix}-`)) d = d.slice(prefix.length + 1);
  const release = codenames[d] ?? (/^[0-9]/.test(d) ? d : undefined);
  return { release, variant };
}

/** What to look up for a package URL: its ecosystem and the name that ecosystem uses. */
export interface EcosystemQuery {
  readonly ecosystem: EcosystemRef;
  readonly name: string;
}

/** Maps a purl onto its OSV ecosystem; undefined for types with no OSV ecosystem (generic…). */
export function ecosystemOfPurl(purl: PackageUrl): EcosystemQuery | undefined {
  const ns = purl.namespace;
  const plain = (base: string, name = purl.name): EcosystemQuery => ({
    ecosystem: { base, release: undefined, variant: undefined },
    name,
  });
  switch (purl.type) {
    case 'deb': {
      const vendor = ns?.toLowerCase();
      if (vendor !== 'debian' && vendor !== 'ubuntu') return undefined;
      const base = vendor === 'debian' ? 'Debian' : 'Ubuntu';
      const { release, variant } = distroRelease(
        purl.qualifiers.distro,
        vendor,
        vendor === 'debian' ? DEBIAN_CODENAMES : UBUNTU_CODENAMES,
      );
      // Debian's OSV ecosystem names major releases only (`Debian:11`), never point releases.
      const r = base === 'Debian' ? release?.replace(/^([0-9]+)\..*$/, '$1') : release;
      return { ecosystem: { base, release: r, variant }, name: purl.name };
    }
    case 'apk': {
      if (ns?.toLowerCase() !== 'alpine') return undefined;
      const distro = purl.qualifiers.distro
        ?.toLowerCase()
        .replace(/^alpine-/, '')
        .replace(/^v/, '');
      const release = distro?.match(/^[0-9]+\.[0-9]+/)?.[0];
      return { ecosystem: { base: 'Alpine', release, variant: undefined }, name: purl.name };
    }
    case 'npm':
      return plain('npm', ns === undefined ? purl.name : `${ns}/${purl.name}`);
    case 'pypi':
      return plain('PyPI');
    case 'golang':
      return plain('Go', ns === undefined ? purl.name : `${ns}/${purl.name}`);
    case 'cargo':
      return plain('crates.io');
    case 'maven':
      return ns === undefined ? undefined : plain('Maven', `${ns}:${purl.name}`);
    case 'gem':
      return plain('RubyGems');
    case 'nuget':
      return plain('NuGet');
    case 'composer':
      return plain('Packagist', ns === undefined ? purl.name : `${ns}/${purl.name}`);
    case 'hex':
      return plain('Hex');
    case 'pub':
      return plain('Pub');
    default:
      return undefined;
  }
}

/**
 * Whether an advisory's `affected[].package.ecosystem` covers a component's ecosystem: the same
 * base always; when the component names a release, the advisory's release and variant too.
 */
export function ecosystemCovers(advisory: EcosystemRef, component: EcosystemRef): boolean {
  if (ecosystemKey(advisory.base) !== ecosystemKey(component.base)) return false;
  return releaseCovers(advisory, component);
}

/** `ecosystemCovers` for two ecosystems already known to share their base. */
export function releaseCovers(advisory: EcosystemRef, component: EcosystemRef): boolean {
  if (component.release === undefined) return true;
  if (advisory.release === undefined) return advisory.variant === undefined;
  return advisory.release === component.release && advisory.variant === component.variant;
}
