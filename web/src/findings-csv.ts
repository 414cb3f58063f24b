/**
 * Findings as CSV (RFC 4180) and what a finding breaks in one line. Pure: no DOM, so Node tests
 * it (test/web/overview-data.test.ts).
 */

/** The fields of a finding these need (a `Finding` of `api.ts`). */
export interface FindingRow {
  readonly id: string;
  readonly kind: string;
  readonly severity: string;
  readonly subject: { device?: string; vendor?: string; release?: string };
  readonly breaks: {
    type: string;
    agreement?: number;
    clause?: string;
    pack?: string;
    rule?: string;
  };
  readonly firstSeen: string;
  readonly lastSeen?: string;
  readonly explanation: string;
  readonly triage?: { readonly state: string };
}

/** What a finding breaks, in one short line. */
export function breaksText(f: FindingRow): string {
  const b = f.breaks;
  if (b.type === 'clause') return `clause ${b.clause ?? ''} (entry ${String(b.agreement ?? '')})`;
  if (b.type === 'rule') return `rule ${b.rule ?? ''} (${b.pack ?? ''})`;
  return 'log consistency';
}

const COLUMNS = [
  'id',
  'severity',
  'kind',
  'device',
  'vendor',
  'release',
  'breaks',
  'firstSeen',
  'lastSeen',
  'triage',
  'explanation',
];

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string): string {
  // A leading = + - @ would be a formula in a spreadsheet: prefixed with ' so it stays text.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function findingsCsv(findings: readonly FindingRow[]): string {
  const rows = findings.map((f) =>
    [
      f.id,
      f.severity,
      f.kind,
      f.subject.device ?? '',
      f.subject.vendor ?? '',
      f.subject.release ?? '',
      breaksText(f),
      f.firstSeen,
      f.lastSeen ?? '',
      f.triage?.state ?? '',
      f.explanation,
    ]
      .map(csvField)
      .join(','),
  );
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
