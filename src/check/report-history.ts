/**
 * A report seen through the finding history: first and last seen widened to what earlier runs
 * saw, then `--since` applied, so that "since" means the same for the CLI as for the API. Pure.
 */
import { iso } from './normalise.js';
import { withHistory, type FindingHistory } from './finding-history.js';
import { summarise, type Report } from './report.js';

/** The report with each finding's history applied, keeping those last seen at or after `since`. */
export function reportWithHistory(
  report: Report,
  histories: ReadonlyMap<string, FindingHistory>,
  since?: Date,
): Report {
  const from = since === undefined ? undefined : iso(since.getTime());
  const findings = report.findings
    .map((f) => withHistory(f, histories.get(f.id)))
    .filter((f) => from === undefined || f.lastSeen >= from);
  return { ...report, summary: summarise(findings), findings };
}
