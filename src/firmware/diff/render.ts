/** The diff as people read it (`nospy firmware diff` without `--json`). */
import type { Indicator } from '../indicators/types.js';
import type { DiffOutcome } from './diff.js';

const short = (hex: string | null | undefined): string =>
  hex == null ? '-' : `${hex.slice(0, 12)}…`;

function indicatorLine(i: Indicator): string {
  const at =
    i.line === undefined
      ? i.offset === undefined
        ? ''
        : `@0x${i.offset.toString(16)}`
      : `:${i.line}`;
  return `  ${i.rule} ${i.kind} ${i.path}${at}\n      ${i.detail}`;
}

export function renderDiff(outcome: DiffOutcome): string {
  const { report, a, b, notes } = outcome;
  const lines = [
    `a ${a.path}  ${a.sha256 ?? '(directory)'}  ${a.format}  ${a.size} bytes`,
    `b ${b.path}  ${b.sha256 ?? '(directory)'}  ${b.format}  ${b.size} bytes`,
  ];
  const width = Math.min(60, Math.max(4, ...report.files.map((f) => f.path.length)));
  for (const f of report.files) {
    const sizes =
      f.change === 'added'
        ? `${short(f.b?.sha256)} ${f.b?.size ?? 0}`
        : f.change === 'removed'
          ? `${short(f.a?.sha256)} ${f.a?.size ?? 0}`
          : `${short(f.a?.sha256)} ${f.a?.size ?? 0} → ${short(f.b?.sha256)} ${f.b?.size ?? 0}`;
    lines.push(
      `${f.change.padEnd(8)} ${f.path.padEnd(width)}  ${(f.classification ?? '').padEnd(18)} ${sizes}`,
    );
    const note = notes.get(f.path);
    if (note !== undefined) lines.push(`         ${note}`);
  }
  if (report.indicators.onlyInA.length > 0)
    lines.push('indicators only in a:', ...report.indicators.onlyInA.map(indicatorLine));
  if (report.indicators.onlyInB.length > 0)
    lines.push('indicators only in b:', ...report.indicators.onlyInB.map(indicatorLine));
  const count = (change: string) => report.files.filter((f) => f.change === change).length;
  lines.push(
    `RESULT: ${report.equivalent ? 'equivalent' : 'NOT equivalent'} (${count('added')} added, ${count('removed')} removed, ${count('content')} changed in content, ${count('metadata')} in metadata only)`,
  );
  return lines.join('\n');
}
