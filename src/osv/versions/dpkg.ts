import { compareDigitStrings, type VersionOrdering } from './ordering.js';

/** A Debian package version split into its three parts (deb-version(7)). */
export interface DebianVersion {
  readonly epoch: string;
  readonly upstream: string;
  readonly revision: string;
}

// deb-version(7): the upstream version may contain only alphanumerics and . + - ~ (and ':' only
// with an epoch, '-' only with a revision); it should start with a digit, which dpkg enforces
// only as a warning, so we accept a leading letter as dpkg does.
const UPSTREAM = /^[A-Za-z0-9][A-Za-z0-9.+~:-]*$/;
const REVISION = /^[A-Za-z0-9.+~]+$/;
const MAX_LENGTH = 256;

/** Parses `[epoch:]upstream[-revision]`; `undefined` for what dpkg's parseversion rejects. */
export function parseDebianVersion(text: string): DebianVersion | undefined {
  const version = text.trim();
  if (version.length === 0 || version.length > MAX_LENGTH) return undefined;
  let epoch = '0';
  let rest = version;
  const colon = version.indexOf(':');
  if (colon >= 0) {
    epoch = version.slice(0, colon);
    // dpkg: the epoch is a non-negative decimal that fits in an int.
    if (!/^[0-9]{1,9}$/.test(epoch)) return undefined;
    rest = version.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (!UPSTREAM.test(upstream)) return undefined;
  if (colon < 0 && upstream.includes(':')) return undefined;
  if (hyphen >= 0 && !REVISION.test(revision)) return undefined;
  return { epoch, upstream, revision };
}

const ZERO = 0x30;
const NINE = 0x39;
const TILDE = 0x7e;

/**
 * dpkg's `order()` of the character at `i` of `s` (past the end: 0, as the end): '~' sorts before
 * everything, even the end; the end and digits are 0; letters before non-letters.
 */
function order(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (c >= ZERO && c <= NINE) return 0;
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return c;
  if (c === TILDE) return -1;
  return c + 256;
}

function digitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i); // NaN past the end: not a digit
  return c >= ZERO && c <= NINE;
}

/**
 * dpkg lib/dpkg/version.c `verrevcmp`: alternately compare a non-digit run character by
 * character with `order()`, then a digit run numerically, until both strings are used up.
 * Hot in every Debian and Ubuntu match: it reads character codes in place and builds no string.
 */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !digitAt(a, i)) || (j < b.length && !digitAt(b, j))) {
      const ac = order(a, i);
      const bc = order(b, j);
      if (ac !== bc) return ac - bc;
      i += 1;
      j += 1;
    }
    // Digit runs, compared as numbers of any length: leading zeros skipped, then length, then
    // the first differing digit.
    while (a.charCodeAt(i) === ZERO) i += 1;
    while (b.charCodeAt(j) === ZERO) j += 1;
    let endA = i;
    let endB = j;
    while (digitAt(a, endA)) endA += 1;
    while (digitAt(b, endB)) endB += 1;
    if (endA - i !== endB - j) return endA - i - (endB - j);
    for (; i < endA; i += 1, j += 1) {
      const d = a.charCodeAt(i) - b.charCodeAt(j);
      if (d !== 0) return d;
    }
  }
  return 0;
}

/** dpkg `dpkg_version_compare`: epoch numerically, then upstream, then revision. */
export function compareDebianVersions(a: DebianVersion, b: DebianVersion): number {
  const epoch = compareDigitStrings(a.epoch, b.epoch);
  if (epoch !== 0) return epoch;
  const upstream = verrevcmp(a.upstream, b.upstream);
  if (upstream !== 0) return upstream;
  return verrevcmp(a.revision, b.revision);
}

/** The ordering of Debian and Ubuntu package versions, as `dpkg --compare-versions` applies it. */
export const dpkgOrdering: VersionOrdering<DebianVersion> = {
  name: 'dpkg',
  parse: parseDebianVersion,
  compare: compareDebianVersions,
};
