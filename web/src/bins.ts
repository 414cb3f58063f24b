import { SEVERITIES } from './severities.js';

/** Findings first seen on one day, as `GET /v1/findings/history` gives them. */
export interface DayCount {
  readonly day: string;
  readonly total: number;
  readonly bySeverity: Readonly<Record<string, number>>;
}

/** One bar of the chart: a day, or a week starting on `start`, with counts by severity. */
export interface Bin {
  readonly start: string;
  readonly label: string;
  readonly total: number;
  readonly bySeverity: Readonly<Record<string, number>>;
}

const DAY_MS = 86_400_000;
/** Past this many days, bars are weeks: a bar a day would be too thin to see. */
export const MAX_DAILY_BINS = 90;

function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Every day from the first finding's to `until` (the evaluation day), zero-filled, so a day with
 * no new finding is a gap and not a line drawn across it; weeks past ninety days.
 */
export function binDays(days: readonly DayCount[], until: string): Bin[] {
  const first = days[0];
  if (first === undefined) return [];
  const start = Date.parse(`${first.day}T00:00:00Z`);
  const last = days.at(-1)?.day ?? first.day;
  const end = Date.parse(`${(until > last ? until : last).slice(0, 10)}T00:00:00Z`);
  const span = Math.floor((end - start) / DAY_MS) + 1;
  const width = span > MAX_DAILY_BINS ? 7 : 1;
  const byDay = new Map(days.map((d) => [d.day, d]));
  const bins: Bin[] = [];
  for (let at = start; at <= end; at += width * DAY_MS) {
    const bySeverity: Record<string, number> = {};
    let total = 0;
    for (let i = 0; i < width; i++) {
      const d = byDay.get(dayText(at + i * DAY_MS));
      if (d === undefined) continue;
      total += d.total;
      for (const s of SEVERITIES) bySeverity[s] = (bySeverity[s] ?? 0) + (d.bySeverity[s] ?? 0);
    }
    bins.push({
      start: dayText(at),
      label: width === 1 ? dayText(at) : `week of ${dayText(at)}`,
      total,
      bySeverity,
    });
  }
  return bins;
}
