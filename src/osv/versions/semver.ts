import { compareDigitStrings, type VersionOrdering } from './ordering.js';

/** A SemVer 2.0.0 version; build metadata is kept for display only (§10: it never orders). */
export interface SemanticVersion {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  readonly prerelease: readonly string[];
  readonly build: string;
}

// SemVer 2.0.0 §2, §9, §10 (the grammar at semver.org, "Backus–Naur Form Grammar").
const NUMERIC = '0|[1-9][0-9]*';
const IDENT = '[0-9A-Za-z-]+';
const SEMVER = new RegExp(
  `^(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})` +
    `(?:-((?:${IDENT})(?:\\.(?:${IDENT}))*))?(?:\\+((?:${IDENT})(?:\\.(?:${IDENT}))*))?$`,
);
const MAX_LENGTH = 256;

/** Parses a SemVer 2.0.0 string (a leading `v` is tolerated, as Go and many tags write it). */
export function parseSemver(text: string): SemanticVersion | undefined {
  const version = text.trim().replace(/^v/, '');
  if (version.length > MAX_LENGTH) return undefined;
  const m = SEMVER.exec(version);
  if (m === null) return undefined;
  const prerelease = m[4] === undefined ? [] : m[4].split('.');
  // §9: numeric identifiers must not include leading zeroes.
  if (prerelease.some((id) => /^0[0-9]+$/.test(id))) return undefined;
  return {
    major: m[1] ?? '0',
    minor: m[2] ?? '0',
    patch: m[3] ?? '0',
    prerelease,
    build: m[5] ?? '',
  };
}

function comparePrereleaseIdentifier(a: string, b: string): number {
  const an = /^[0-9]+$/.test(a);
  const bn = /^[0-9]+$/.test(b);
  // §11.4.1–3: numeric identifiers numerically, others in ASCII order, numeric before others.
  if (an && bn) return compareDigitStrings(a, b);
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer 2.0.0 §11 precedence. */
export function compareSemver(a: SemanticVersion, b: SemanticVersion): number {
  const core =
    compareDigitStrings(a.major, b.major) ||
    compareDigitStrings(a.minor, b.minor) ||
    compareDigitStrings(a.patch, b.patch);
  if (core !== 0) return core;
  // §11.3: a pre-release version has lower precedence than the normal version.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length;
  }
  const n = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i += 1) {
    const c = comparePrereleaseIdentifier(a.prerelease[i] ?? '', b.prerelease[i] ?? '');
    if (c !== 0) return c;
  }
  // §11.4.4: a larger set of pre-release fields has higher precedence when all before are equal.
  return a.prerelease.length - b.prerelease.length;
}

/** SemVer 2.0.0 ordering, for OSV `SEMVER` ranges. */
export const semverOrdering: VersionOrdering<SemanticVersion> = {
  name: 'semver',
  parse: parseSemver,
  compare: compareSemver,
};
