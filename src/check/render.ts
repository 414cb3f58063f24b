/**
 * The report as text (the CLI summary) and as a self-contained HTML page (inline CSS, no
 * external resources, every value escaped).
 */
import { FINDING_KINDS, SEVERITIES } from './finding.js';
import type { Report } from './report.js';

/** Summary lines (by kind, by severity), then one line per finding. */
export function renderText(report: Report): string {
  const lines = [
    `nospy check at ${report.evaluatedAt}: ${report.summary.total} finding${report.summary.total === 1 ? '' : 's'} ` +
      `(${report.inputs.statements} statements, ${report.inputs.devices} devices, ${report.inputs.flowRecords} flow records, ${report.inputs.images} images)`,
    `by severity: ${SEVERITIES.map((s) => `${s} ${report.summary.bySeverity[s]}`).join(', ')}`,
    `by kind:     ${
      FINDING_KINDS.filter((k) => report.summary.byKind[k] > 0)
        .map((k) => `${k} ${report.summary.byKind[k]}`)
        .join(', ') || 'none'
    }`,
  ];
  if (report.findings.length > 0) lines.push('');
  for (const f of report.findings) {
    lines.push(
      `${f.severity.toUpperCase().padEnd(8)} ${f.kind.padEnd(27)} ${f.explanation} [${f.id}]`,
    );
  }
  return lines.join('\n');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}
.critical{background:#fdd}.high{background:#fed}.medium{background:#ffd}.low,.info{background:#eef}
pre{white-space:pre-wrap;word-break:break-all;font-size:11px;max-height:12em;overflow:auto;background:#f6f6f6;margin:2px 0}
details summary{cursor:pointer}`;

/** A self-contained HTML report. */
export function renderHtml(report: Report): string {
  const rows = report.findings
    .map((f) => {
      const breaks =
        f.breaks.type === 'clause'
          ? `clause ${f.breaks.clause} of the agreement at log index ${f.breaks.agreement}`
          : f.breaks.type === 'rule'
            ? `rule ${f.breaks.rule} of ${f.breaks.pack}`
            : `log property ${f.breaks.property}`;
      const subject = Object.entries(f.subject)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join('<br>');
      return `<tr class="${f.severity}"><td>${f.severity}</td><td>${f.kind}</td><td>${escape(subject)}</td>
<td>${escape(f.explanation)}<br><small>${escape(breaks)} · first ${f.firstSeen} · last ${f.lastSeen} · ${f.id}</small>
<details><summary>${f.evidence.length} evidence item(s)</summary><pre>${escape(JSON.stringify(f.evidence, null, 2))}</pre></details></td></tr>`;
    })
    .join('\n');
  const counts = SEVERITIES.map(
    (s) => `<th>${s}</th><td>${report.summary.bySeverity[s]}</td>`,
  ).join('');
  const kinds = FINDING_KINDS.map((k) => `<th>${k}</th><td>${report.summary.byKind[k]}</td>`).join(
    '',
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nospy check report</title><style>${CSS}</style></head>
<body><h1>nospy check report</h1>
<p>Evaluated at ${report.evaluatedAt}. ${report.summary.total} finding(s).</p>
<table><tr>${counts}</tr></table><br><table><tr>${kinds}</tr></table>
<h2>Findings</h2>
<table><tr><th>Severity</th><th>Kind</th><th>Subject</th><th>What is broken</th></tr>
${rows}
</table>
${report.checkpoint === undefined ? '' : `<h2>Checkpoint</h2><pre>${escape(report.checkpoint)}</pre>`}
</body></html>
`;
}
