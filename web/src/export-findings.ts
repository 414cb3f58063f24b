import { breaksText } from './pages/common.js';
import type { Finding } from './api.js';

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

export function findingsCsv(findings: readonly Finding[]): string {
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

/** Saves text as a file the browser downloads. */
export function saveFile(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}
