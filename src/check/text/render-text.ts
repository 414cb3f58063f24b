/**
 * The check's report as the terminal shows it (`nospy check` without `--json`): as of when and
 * what was checked, the findings by vendor and device with the clause or rule each breaks, then
 * what to do next. Pure: the same report and options give the same text, so the layout is
 * tested at any width, with and without colour, without a terminal.
 */
import type { PartCoverage } from '../coverage.js';
import type { InventoryDevice } from '../evidence.js';
import { SEVERITIES, type BrokenPromise, type Finding } from '../finding.js';
import type { Report } from '../report.js';
import { groupFindings, type Place, type VendorGroup } from './group.js';
import { hangingParagraph, printable } from './layout.js';
import { textStyle, type TextStyle } from './style.js';

/** What the run did and can do beside the report, for the closing "next steps". */
export interface NextSteps {
  /** The dashboard of the configured server, and whether it asks for a read token. */
  readonly dashboard?: { readonly url: string; readonly token: boolean } | undefined;
  /** Where `--html` wrote the report (an absolute path). */
  readonly html?: string | undefined;
  /** Where `--evidence` wrote the findings' files (an absolute directory). */
  readonly evidence?: string | undefined;
  /** The trust file as `nospy verify --trust` is to be given it. */
  readonly trust?: string | undefined;
}

export interface TextReportOptions {
  /** Columns to wrap to (the terminal's width; 80 when not a terminal). */
  readonly width: number;
  /** Colour the severities (a terminal, unless NO_COLOR; or FORCE_COLOR). */
  readonly colour: boolean;
  /** When the report was made (ISO 8601), beside the instant it evaluates. */
  readonly generatedAt: string;
  /** Each part of the check, checked or not (src/check/coverage.ts). */
  readonly coverage?: readonly PartCoverage[] | undefined;
  /** The inventory: which vendor a policy's items belong to, which devices run a release. */
  readonly devices?: readonly InventoryDevice[] | undefined;
  /** Why nothing at all was checked (src/config/check-configured.ts), if so. */
  readonly notChecked?: string | undefined;
  /** `--since`: only findings last seen at or after this instant (ISO 8601). */
  readonly since?: string | undefined;
  readonly next?: NextSteps | undefined;
}

/** The column findings' sentences and the fields' values start at. */
const VALUE_COLUMN = 13;
/** Narrower than this, too little fits beside a label: values hang at a small indent instead. */
const NARROW = 60;
/** A place heading names at most this many devices, then how many more. */
const MAX_NAMED_DEVICES = 10;

interface Layout {
  readonly width: number;
  readonly hang: number;
  readonly style: TextStyle;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** `2026-06-01 00:00:00 UTC` for an ISO 8601 instant (the time zone is always named). */
function instantText(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t)
    ? printable(iso)
    : `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function paragraph(layout: Layout, text: string, indent: number, hang = indent): string[] {
  return hangingParagraph(text, { width: layout.width, indent, hang });
}

/** `label` in a column of its own, then `values`, each a paragraph starting on its own line. */
function field(layout: Layout, label: string, values: readonly string[], indent = 0): string[] {
  // One column at every width: the labels line up, and "not checked" fits before it.
  const column = Math.max(VALUE_COLUMN, indent + label.length + 1);
  return values.flatMap((value, i) =>
    hangingParagraph(value, {
      width: layout.width,
      indent: i === 0 ? indent : column,
      ...(i === 0 ? { label: label.padEnd(column - indent) } : {}),
      hang: column,
    }),
  );
}

function severityCounts(report: Report, style: TextStyle): (line: string) => string {
  const counts = new RegExp(`\\b([0-9]+ (${SEVERITIES.join('|')}))\\b`, 'g');
  return (line) =>
    line.replace(counts, (text: string, _count: string, severity: (typeof SEVERITIES)[number]) =>
      report.summary.bySeverity[severity] > 0 ? style.severity(severity, text) : text,
    );
}

function header(report: Report, options: TextReportOptions, layout: Layout): string[] {
  const { style } = layout;
  const counts = SEVERITIES.map((s) => `${report.summary.bySeverity[s]} ${s}`).join(', ');
  const title =
    options.notChecked !== undefined
      ? 'nospy check: nothing was checked'
      : `nospy check: ${plural(report.summary.total, 'finding')} (${counts})`;
  const coverage = options.coverage ?? [];
  const checked = coverage.filter((c) => c.checked).map((c) => `${c.part}: ${c.detail}`);
  const unchecked = coverage.filter((c) => !c.checked).map((c) => `${c.part}: ${c.detail}`);
  return [
    // Not bold: a count's colour would end the bold half-way (SGR 22 closes both).
    ...paragraph(layout, title, 0, 2).map(severityCounts(report, style)),
    ...field(layout, 'as of', [`${instantText(report.evaluatedAt)} (the evaluation date)`]),
    ...field(layout, 'generated', [instantText(options.generatedAt)]),
    ...(options.since === undefined
      ? []
      : field(layout, 'since', [`${instantText(options.since)}: only findings last seen since`])),
    ...(coverage.length === 0
      ? []
      : [
          ...field(layout, 'checked', checked.length === 0 ? ['nothing'] : checked),
          ...field(layout, 'not checked', unchecked.length === 0 ? ['none'] : unchecked),
        ]),
  ];
}

function promiseText(breaks: BrokenPromise): string {
  switch (breaks.type) {
    case 'clause':
      return `clause ${breaks.clause}`;
    case 'rule':
      return `rule ${breaks.rule} (${breaks.pack})`;
    case 'log':
      return `log ${breaks.property}`;
  }
}

function placeText(place: Place): string {
  switch (place.type) {
    case 'vendor-wide':
      return 'vendor-wide';
    case 'estate-wide':
      return 'estate-wide';
    case 'log':
      return `log ${place.origin}`;
    case 'release': {
      const short = place.digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]{52}$/, '$1…');
      return place.runBy.length === 0
        ? `release ${short}`
        : `release ${short}, run by ${place.runBy.join(', ')}`;
    }
    case 'devices': {
      const named = place.ids.slice(0, MAX_NAMED_DEVICES).join(', ');
      const more = place.ids.length - MAX_NAMED_DEVICES;
      return `${place.ids.length === 1 ? 'device' : 'devices'} ${named}${more > 0 ? ` and ${more} more` : ''}`;
    }
  }
}

/** One finding: its severity in a column, then what it breaks, its sentence and its id. */
function findingLines(finding: Finding, layout: Layout): string[] {
  const label = finding.severity.toUpperCase().padEnd(VALUE_COLUMN - 4);
  return hangingParagraph(
    `${promiseText(finding.breaks)}: ${finding.explanation} [${finding.id}]`,
    {
      width: layout.width,
      indent: 4,
      label:
        layout.style.severity(finding.severity, label.trimEnd()) +
        label.slice(finding.severity.length),
      labelColumns: label.length,
      hang: layout.hang,
    },
  );
}

function vendorLines(group: VendorGroup, layout: Layout): string[] {
  const name = group.vendor === undefined ? 'Estate' : group.vendor;
  return [
    ...paragraph(layout, `${name} (${plural(group.count, 'finding')})`, 0, 2).map(
      layout.style.bold,
    ),
    ...group.places.flatMap((p) => [
      ...paragraph(layout, placeText(p.place), 2, 4),
      ...p.findings.flatMap((f) => findingLines(f, layout)),
    ]),
  ];
}

function nextSteps(report: Report, next: NextSteps, layout: Layout): string[] {
  const verify = `nospy verify${next.trust === undefined ? '' : ` --trust ${next.trust}`}`;
  const dashboard =
    next.dashboard === undefined
      ? 'none configured: give the configuration a server: section and run nospy serve with it'
      : `${next.dashboard.url}${next.dashboard.token ? ' (asks for a read token)' : ''}`;
  const evidence =
    next.evidence !== undefined
      ? `wrote ${plural(report.findings.length, 'file')} to ${next.evidence}; each is checked offline by ${verify} <file>`
      : report.findings.length === 0
        ? undefined
        : `--evidence <dir> writes one file per finding, each checked offline by ${verify} <file>`;
  const html =
    next.html !== undefined
      ? `wrote ${next.html}`
      : '--html <file> writes this report as one self-contained page';
  return [
    layout.style.bold('Next steps'),
    ...field(layout, 'dashboard', [dashboard], 2),
    ...(evidence === undefined ? [] : field(layout, 'evidence', [evidence], 2)),
    ...field(layout, 'HTML', [html], 2),
  ];
}

/**
 * The report as terminal text, wrapped to `options.width` (words never cut, continuation lines
 * indented) and coloured only when `options.colour`: the header (as of, what was and was not
 * checked), the findings by vendor and device, then the next steps.
 */
export function renderTextReport(report: Report, options: TextReportOptions): string {
  const width = Math.max(20, Math.floor(options.width));
  const layout: Layout = {
    width,
    hang: width < NARROW ? 6 : VALUE_COLUMN,
    style: textStyle(options.colour),
  };
  const body =
    options.notChecked !== undefined
      ? paragraph(layout, `Nothing was checked: ${options.notChecked}.`, 0, 2)
      : report.findings.length === 0
        ? paragraph(layout, 'No findings in the parts checked.', 0, 2)
        : groupFindings(report.findings, options.devices).flatMap((g, i) => [
            ...(i === 0 ? [] : ['']),
            ...vendorLines(g, layout),
          ]);
  return [
    ...header(report, options, layout),
    '',
    ...body,
    ...(options.next === undefined ? [] : ['', ...nextSteps(report, options.next, layout)]),
  ].join('\n');
}
