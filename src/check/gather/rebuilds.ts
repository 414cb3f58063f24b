/**
 * The diff reports that rebuild statements name by digest, read from the blob store (hashed on
 * arrival: a store is not trusted to return what was named) and parsed strictly. A report the
 * store does not hold is left out, and the finding that would summarise it says so.
 */
import { parseDiffReport } from '../../firmware/diff/report.js';
import { REBUILD_PREDICATE_TYPE } from '../../statements/predicates/rebuild.js';
import type { LoggedStatement, RebuildDiff } from '../evidence.js';
import type { BlobSource } from './blobs.js';

/** The most reports read in one check: each may be large, and a summary needs only a few. */
export const MAX_REBUILD_DIFFS = 1000;

export async function readRebuildDiffs(
  statements: readonly LoggedStatement[],
  blobs: BlobSource,
): Promise<RebuildDiff[]> {
  const named = new Set<string>();
  for (const s of statements) {
    const st = s.statement;
    if (st.predicateType !== REBUILD_PREDICATE_TYPE || st.predicate.diffReport === undefined)
      continue;
    // Reports behind a `different` verdict first: those are the ones findings summarise.
    if (st.predicate.verdict === 'different') named.add(st.predicate.diffReport.digest.sha256);
  }
  for (const s of statements) {
    const st = s.statement;
    if (st.predicateType === REBUILD_PREDICATE_TYPE && st.predicate.diffReport !== undefined)
      named.add(st.predicate.diffReport.digest.sha256);
  }
  const out: RebuildDiff[] = [];
  for (const hex of [...named].slice(0, MAX_REBUILD_DIFFS)) {
    const bytes = await blobs.get(hex);
    if (bytes === undefined) continue;
    const parsed = parseDiffReport(bytes);
    out.push(
      parsed.ok ? { sha256: hex, report: parsed.report } : { sha256: hex, problem: parsed.reason },
    );
  }
  return out;
}
