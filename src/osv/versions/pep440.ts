import { compareDigitStrings, type VersionOrdering } from './ordering.js';

/** A PEP 440 version in its normalised parts. */
export interface Pep440Version {
  readonly epoch: string;
  readonly release: readonly string[];
  readonly pre: { readonly phase: 'a' | 'b' | 'rc'; readonly number: string } | undefined;
  readonly post: string | undefined;
  readonly dev: string | undefined;
  readonly local: readonly string[];
}

// PEP 440 "Appendix B: Parsing version strings with regular expressions", written for our use:
// the permissive spelling that §Normalization allows (separators, alternate phase names).
const PEP440 =
  /^v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?([0-9]+)?)?(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?(?:[-_.]?(dev)[-_.]?([0-9]+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/;
const MAX_LENGTH = 256;

function phaseOf(spelling: string): 'a' | 'b' | 'rc' {
  if (spelling === 'a' || spelling === 'alpha') return 'a';
  if (spelling === 'b' || spelling === 'beta') return 'b';
  return 'rc';
}

/** Parses a PEP 440 version (case-insensitive, surrounding whitespace ignored). */
export function parsePep440(text: string): Pep440Version | undefined {
  const version = text.trim().toLowerCase();
  if (version.length > MAX_LENGTH) return undefined;
  const m = PEP440.exec(version);
  if (m === null) return undefined;
  const [, epoch, release, prePhase, preNumber, postImplicit, postWord, postNumber, devWord] = m;
  const devNumber = m[9];
  const local = m[10];
  return {
    epoch: epoch ?? '0',
    release: (release ?? '0').split('.'),
    pre:
      prePhase === undefined ? undefined : { phase: phaseOf(prePhase), number: preNumber ?? '0' },
    post: postImplicit ?? (postWord === undefined ? undefined : (postNumber ?? '0')),
    dev: devWord === undefined ? undefined : (devNumber ?? '0'),
    local: local === undefined ? [] : local.split(/[-_.]/),
  };
}

function compareRelease(a: readonly string[], b: readonly string[]): number {
  // §Final releases: trailing zeros are insignificant (1.0 == 1.0.0).
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const c = compareDigitStrings(a[i] ?? '0', b[i] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}

const PHASE_RANK = { a: 0, b: 1, rc: 2 } as const;

/** Rank of the pre-release slot: dev-only releases sort before pre-releases, finals after. */
function preKey(v: Pep440Version): [number, number, string] {
  if (v.pre !== undefined) return [1, PHASE_RANK[v.pre.phase], v.pre.number];
  if (v.post === undefined && v.dev !== undefined) return [0, 0, '0'];
  return [2, 0, '0'];
}

function compareLocal(a: readonly string[], b: readonly string[]): number {
  // §Local version identifiers: numeric segments sort after alphanumeric ones, and a longer
  // local version wins when the shorter is its prefix.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    const c = xn && yn ? compareDigitStrings(x, y) : xn ? 1 : yn ? -1 : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** PEP 440 §Summary of permitted suffixes and relative ordering. */
export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  const epoch = compareDigitStrings(a.epoch, b.epoch);
  if (epoch !== 0) return epoch;
  const release = compareRelease(a.release, b.release);
  if (release !== 0) return release;
  const [ar, ap, an] = preKey(a);
  const [br, bp, bn] = preKey(b);
  if (ar !== br) return ar - br;
  if (ap !== bp) return ap - bp;
  const preNumber = compareDigitStrings(an, bn);
  if (preNumber !== 0) return preNumber;
  // No post-release sorts before any post-release; no dev-release sorts after any dev-release.
  if (a.post !== b.post) {
    if (a.post === undefined) return -1;
    if (b.post === undefined) return 1;
    const c = compareDigitStrings(a.post, b.post);
    if (c !== 0) return c;
  }
  if (a.dev !== b.dev) {
    if (a.dev === undefined) return 1;
    if (b.dev === undefined) return -1;
    const c = compareDigitStrings(a.dev, b.dev);
    if (c !== 0) return c;
  }
  return compareLocal(a.local, b.local);
}

/** PEP 440 ordering, for the PyPI ecosystem. */
export const pep440Ordering: VersionOrdering<Pep440Version> = {
  name: 'pep440',
  parse: parsePep440,
  compare: comparePep440,
};
