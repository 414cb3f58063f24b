/**
 * Why two builds differ: the causes that explain most non-reproducible builds
 * (reproducible-builds.org lists them; diffoscope shows them), as the closed vocabulary of a
 * diff report's `classification`.
 *
 * Metadata causes (the file's bytes are the same): `timestamps` (modification times, archive or
 * file-system creation times), `ownership` (uid, gid, user and group names), `permissions`
 * (mode bits), `order` (the order of members in an archive), `container` (the container's own
 * bytes: compression, padding, layout, with every member and attribute the same).
 *
 * Content causes (the bytes differ, and only in a known way): `build-id` (an ELF
 * `.note.gnu.build-id` or `.gnu_debuglink`), `compiler-version` (an ELF `.comment`),
 * `debug-info` (ELF `.debug_*` sections, which are never loaded), `embedded-path` (only inside
 * absolute paths embedded in the file), `embedded-timestamp` (only inside dates and times
 * embedded in the file); and `content`, for any difference none of these explains.
 */
export const CAUSES = [
  'timestamps',
  'ownership',
  'permissions',
  'order',
  'container',
  'build-id',
  'compiler-version',
  'debug-info',
  'embedded-path',
  'embedded-timestamp',
  'content',
] as const;
export type Cause = (typeof CAUSES)[number];

export const METADATA_CAUSES: readonly Cause[] = [
  'timestamps',
  'ownership',
  'permissions',
  'order',
  'container',
];

/**
 * The classification of a set of causes: `content` when anything is unexplained, else the
 * causes in the vocabulary's order joined with `+` (`timestamps+ownership`).
 */
export function classify(causes: Iterable<Cause>): string {
  const set = new Set(causes);
  if (set.has('content') || set.size === 0) return 'content';
  return CAUSES.filter((c) => set.has(c)).join('+');
}

/** The causes a classification names (the inverse of `classify`); unknown words are content. */
export function causesOf(classification: string): Cause[] {
  return classification
    .split('+')
    .map((word) => ((CAUSES as readonly string[]).includes(word) ? (word as Cause) : 'content'));
}
