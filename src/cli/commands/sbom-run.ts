// The work of `nospy sbom`'s commands, loaded only when one of them runs (sbom.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { buildAdvisoryIndex, type AdvisoryIndex } from '../../osv/advisory-index.js';
import { OsvError } from '../../osv/errors.js';
import { loadOsvSources, type OsvWarning } from '../../osv/load.js';
import {
  matchPackage,
  queryOfEcosystem,
  queryOfPurlText,
  type PackageQuery,
  type VulnerabilityFinding,
} from '../../osv/match.js';
import { readSbomFile } from '../../sbom/read-sbom.js';
import { findVulnerabilities, type ComponentVulnerability } from '../../sbom/vulnerabilities.js';
import { printResult, type CommandContext } from '../context.js';

export interface OsvData {
  readonly index: AdvisoryIndex;
  readonly warnings: readonly OsvWarning[];
  readonly sources: readonly string[];
}

function loadOsv(ctx: CommandContext, sources: readonly string[]): OsvData {
  const loaded = loadOsvSources(sources);
  for (const warning of loaded.warnings) {
    ctx.logger.warn({ file: warning.file }, `OSV data: ${warning.file}: ${warning.message}`);
  }
  return { index: buildAdvisoryIndex(loaded.records), warnings: loaded.warnings, sources };
}

function severityText(f: VulnerabilityFinding): string {
  const parts = [
    ...f.advisory.severity.map(
      (s) =>
        `${s.type} ${s.baseScore === undefined ? '' : `${s.baseScore} ${s.rating ?? ''} `}${s.score}`,
    ),
    ...(f.advisory.databaseSeverity === null ? [] : [f.advisory.databaseSeverity]),
  ];
  return parts.length === 0 ? '' : ` [${parts.join('; ')}]`;
}

function findingLines(f: VulnerabilityFinding, subject: string): string[] {
  const aliases = [...f.advisory.aliases, ...f.advisory.related];
  return [
    `  ${f.status === 'affected' ? 'VULNERABLE' : 'UNASSESSED'} ${subject}: ${f.advisory.id}` +
      `${aliases.length === 0 ? '' : ` (${aliases.join(', ')})`}${severityText(f)}`,
    ...(f.advisory.summary === null ? [] : [`    ${f.advisory.summary}`]),
    `    ecosystem ${f.ecosystem}; ${f.reason}`,
    ...f.ranges.map((r) => `    range ${r.text}`),
    `    fixed in: ${f.fixed.length === 0 ? 'no fix published' : f.fixed.join(', ')}`,
  ];
}

function queryFrom(opts: {
  purl?: string;
  ecosystem?: string;
  name?: string;
  version?: string;
}): PackageQuery {
  const explicit = [opts.ecosystem, opts.name, opts.version];
  if (opts.purl !== undefined) {
    if (explicit.some((v) => v !== undefined)) {
      throw new OsvError(
        'OSV_QUERY_INVALID',
        'give either --purl or --ecosystem/--name/--version, not both',
      );
    }
    const { query, problems } = queryOfPurlText(opts.purl);
    if (query === undefined) {
      const why = problems.length > 0 ? problems.join('; ') : 'it has no version';
      throw new OsvError('OSV_QUERY_INVALID', `--purl ${opts.purl}: ${why}`, { where: '--purl' });
    }
    return query;
  }
  if (opts.ecosystem === undefined || opts.name === undefined || opts.version === undefined) {
    throw new OsvError(
      'OSV_QUERY_INVALID',
      'give --purl, or all of --ecosystem, --name and --version',
    );
  }
  return queryOfEcosystem(opts.ecosystem, opts.name, opts.version);
}

export interface CheckResultView {
  file: string;
  format: string;
  specVersion: string;
  schema: {
    validated: boolean;
    schema: string | null;
    valid: boolean;
    violations: readonly { path: string; line?: number; column?: number; message: string }[];
  };
  components: readonly { name: string; version: string | null; purl: string | null }[];
  services: readonly { name: string; endpoints: readonly { url: string }[] }[];
  deviations: readonly { path: string; line?: number; column?: number; message: string }[];
}

function at(item: { path: string; line?: number; column?: number }): string {
  return item.line === undefined
    ? item.path
    : `${item.path} (line ${item.line}, column ${item.column ?? 0})`;
}

function humanCheck(
  result: CheckResultView,
  vulnerabilities: readonly ComponentVulnerability[] | undefined,
): string {
  const schema = result.schema;
  const lines = [
    `${result.file}: ${result.format} ${result.specVersion}`,
    !schema.validated
      ? `schema: not validated (no schema shipped for ${result.format} ${result.specVersion})`
      : schema.valid
        ? `schema: valid against ${schema.schema ?? ''}`
        : `schema: INVALID against ${schema.schema ?? ''}`,
    ...schema.violations.map((v) => `  ${at(v)}: ${v.message}`),
    `components: ${result.components.length}`,
    ...result.components.map(
      (c) =>
        `  ${c.name}${c.version === null ? '' : ` ${c.version}`}${c.purl === null ? '' : `  ${c.purl}`}`,
    ),
  ];
  if (result.services.length > 0) {
    lines.push(`services: ${result.services.length}`);
    lines.push(
      ...result.services.map(
        (s) =>
          `  ${s.name}${s.endpoints.length === 0 ? '' : `  ${s.endpoints.map((e) => e.url).join(' ')}`}`,
      ),
    );
  }
  if (result.deviations.length > 0) {
    lines.push(`deviations: ${result.deviations.length}`);
    lines.push(...result.deviations.map((d) => `  ${at(d)}: ${d.message}`));
  }
  if (vulnerabilities !== undefined) {
    const affected = vulnerabilities.filter((v) => v.status === 'affected').length;
    lines.push(
      `vulnerabilities: ${affected} affecting, ${vulnerabilities.length - affected} unassessed`,
    );
    for (const v of vulnerabilities)
      lines.push(...findingLines(v, `${v.component.name} ${v.version}`));
  }
  return lines.join('\n');
}

export function runSbomCheck(ctx: CommandContext, file: string, opts: { osv?: string[] }): void {
  const read = readSbomFile(file);
  const osv = opts.osv === undefined ? undefined : loadOsv(ctx, opts.osv);
  const report = osv === undefined ? undefined : findVulnerabilities(read.document, osv.index);
  const affected = report?.vulnerabilities.filter((v) => v.status === 'affected') ?? [];
  if (!read.schema.valid || affected.length > 0) ctx.exitCode = 1;
  const { document, schema } = read;
  const result = {
    file,
    format: document.format,
    specVersion: document.specVersion,
    name: document.name,
    schema,
    components: document.components,
    dependencies: document.dependencies,
    services: document.services,
    deviations: document.deviations,
    ...(report === undefined || osv === undefined
      ? {}
      : {
          osv: {
            sources: osv.sources,
            advisories: osv.index.recordCount,
            warnings: osv.warnings,
            componentsMatched: report.componentsMatched,
            notLookedUp: report.notLookedUp,
          },
          vulnerabilities: report.vulnerabilities,
        }),
  };
  printResult(ctx, result, () => humanCheck(result, report?.vulnerabilities));
}

export function runSbomQuery(
  ctx: CommandContext,
  opts: {
    osv: string[];
    purl?: string;
    ecosystem?: string;
    name?: string;
    version?: string;
  },
): void {
  const query = queryFrom(opts);
  const data = loadOsv(ctx, opts.osv);
  const findings = matchPackage(data.index, query);
  if (findings.some((f) => f.status === 'affected')) ctx.exitCode = 1;
  const result = {
    query: {
      ecosystem: opts.ecosystem ?? null,
      name: query.name,
      version: query.version,
      purl: opts.purl ?? null,
    },
    advisories: data.index.recordCount,
    warnings: data.warnings,
    findings,
  };
  printResult(ctx, result, () =>
    [
      `${query.name} ${query.version}: ${findings.length === 0 ? 'no advisory applies' : `${findings.length} ${findings.length === 1 ? 'advisory applies' : 'advisories apply'}`} (${data.index.recordCount} advisories searched)`,
      ...findings.flatMap((f) => findingLines(f, `${query.name} ${query.version}`)),
    ].join('\n'),
  );
}
