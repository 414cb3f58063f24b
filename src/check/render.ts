/**
 * The report as a self-contained HTML page (inline CSS, no external resources, every value
 * escaped). The terminal's text is src/check/text/render-text.ts.
 */
import { FINDING_KINDS, SEVERITIES, type Evidence } from './finding.js';
import type { Report } from './report.js';

/** One evidence part in a line a person reads; the data itself stays below it. */
export function evidenceLine(e: Evidence): string {
  switch (e.type) {
    case 'statement':
      return `logged statement, log entry ${String(e.index)}, with its inclusion proof`;
    case 'absence':
      return `proof of absence: ${e.detail} (${String(e.releases?.length ?? 0)} releases of the vendor listed with proofs)`;
    case 'flows':
      return `${String(e.records.length)} sample flow records of ${String(e.total.records)} (${String(e.total.bytes)} bytes)${e.messages === undefined || e.messages.length === 0 ? '' : `, carried by ${streamMessages(e.messages)}`}`;
    case 'file':
      return `${e.image}: ${e.path}${e.line === undefined ? '' : `, line ${String(e.line)}`}: ${e.detail}`;
    case 'advisory':
      return `${e.id}: ${e.component} ${e.version} (affected ${e.affected}${e.fixed === undefined ? '' : `, fixed in ${e.fixed}`})`;
    case 'policy':
      return `rule ${e.rule} of ${e.pack}: ${e.items.join(', ')}${e.source === undefined ? '' : ` (${e.source})`}`;
    case 'diff':
      return `diff report ${e.report} (rebuild statement, log entry ${String(e.statement)}): ${e.detail}`;
    case 'log-inconsistency':
      return 'two checkpoints the log signed that cannot both be true, with the proof';
  }
}

/** `NOSPY_FLOWS messages 12, 40` per stream. */
function streamMessages(messages: readonly { stream: string; sequence: number }[]): string {
  const byStream = new Map<string, number[]>();
  for (const m of messages) byStream.set(m.stream, [...(byStream.get(m.stream) ?? []), m.sequence]);
  return [...byStream]
    .map(
      ([stream, seqs]) =>
        `${stream} message${seqs.length === 1 ? '' : 's'} ${[...new Set(seqs)].join(', ')}`,
    )
    .join('; ');
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
      // Each value escaped on its own, then joined: the line breaks are markup, not text.
      const subject = Object.entries(f.subject)
        .map(([k, v]) => escape(`${k}: ${String(v)}`))
        .join('<br>');
      const evidence = f.evidence.map((e) => `<li>${escape(evidenceLine(e))}</li>`).join('');
      return `<tr class="${f.severity}"><td>${f.severity}</td><td>${f.kind}</td><td>${subject}</td>
<td>${escape(f.explanation)}<br><small>${escape(breaks)} · first ${f.firstSeen} · last ${f.lastSeen} · ${f.id}</small>
<ul>${evidence}</ul>
<details><summary>the evidence as data (${f.evidence.length} item(s))</summary><pre>${escape(JSON.stringify(f.evidence, null, 2))}</pre></details></td></tr>`;
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
