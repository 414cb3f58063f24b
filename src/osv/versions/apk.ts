import { compareDigitStrings, type VersionOrdering } from './ordering.js';

/** An Alpine package version: `1.2.3a_rc1_p2-r4` (apk-tools src/version.c grammar). */
export interface ApkVersion {
  readonly numbers: readonly string[];
  readonly letter: string;
  readonly suffixes: readonly { readonly rank: number; readonly number: string }[];
  readonly hash: string;
  readonly revision: string;
}

// apk-tools version.c: pre-release suffixes sort before the bare version, post-release after.
const SUFFIX_RANK: Readonly<Record<string, number>> = {
  alpha: -4,
  beta: -3,
  pre: -2,
  rc: -1,
  cvs: 1,
  svn: 2,
  git: 3,
  hg: 4,
  p: 5,
};
const APK = /^([0-9]+(?:\.[0-9]+)*)([a-z]?)((?:_[a-z]+[0-9]*)*)(?:~([0-9a-f]+))?(?:-r([0-9]+))?$/;
const MAX_LENGTH = 256;

/** Parses an apk version; undefined for what `apk version -c` calls invalid. */
export function parseApkVersion(text: string): ApkVersion | undefined {
  const version = text.trim();
  if (version.length > MAX_LENGTH) return undefined;
  const m = APK.exec(version);
  if (m === null) return undefined;
  const suffixes: { rank: number; number: string }[] = [];
  for (const part of (m[3] ?? '').split('_').slice(1)) {
    const s = /^([a-z]+)([0-9]*)$/.exec(part);
    const rank = s?.[1] === undefined ? undefined : SUFFIX_RANK[s[1]];
    if (rank === undefined) return undefined;
    suffixes.push({ rank, number: s?.[2] === '' || s?.[2] === undefined ? '0' : s[2] });
  }
  return {
    numbers: (m[1] ?? '0').split('.'),
    letter: m[2] ?? '',
    suffixes,
    hash: m[4] ?? '',
    revision: m[5] ?? '0',
  };
}

/** apk-tools version ordering for the common grammar (numbers, letter, suffixes, -rN). */
export function compareApkVersions(a: ApkVersion, b: ApkVersion): number {
  const n = Math.min(a.numbers.length, b.numbers.length);
  for (let i = 0; i < n; i += 1) {
    const c = compareDigitStrings(a.numbers[i] ?? '0', b.numbers[i] ?? '0');
    if (c !== 0) return c;
  }
  if (a.numbers.length !== b.numbers.length) return a.numbers.length - b.numbers.length;
  if (a.letter !== b.letter) return a.letter < b.letter ? -1 : 1;
  const m = Math.max(a.suffixes.length, b.suffixes.length);
  for (let i = 0; i < m; i += 1) {
    // A missing suffix is the bare version: rank 0.
    const x = a.suffixes[i] ?? { rank: 0, number: '0' };
    const y = b.suffixes[i] ?? { rank: 0, number: '0' };
    if (x.rank !== y.rank) return x.rank - y.rank;
    const c = compareDigitStrings(x.number, y.number);
    if (c !== 0) return c;
  }
  if (a.hash !== b.hash) return a.hash < b.hash ? -1 : 1;
  return compareDigitStrings(a.revision, b.revision);
}

/** The ordering of Alpine package versions. */
export const apkOrdering: VersionOrdering<ApkVersion> = {
  name: 'apk',
  parse: parseApkVersion,
  compare: compareApkVersions,
};
