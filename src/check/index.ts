/**
 * The check engine: joins the log's statements, the inventory, flows, firmware scans, SBOM
 * matches and rule packs into one report of broken promises (docs/check.md).
 */
export { checkReport, summarise } from './report.js';
export type { CheckOptions, Report, ReportSummary } from './report.js';
export type * from './evidence.js';
export * from './finding.js';
export { CHECK_STAGES, gatherEvidence, runCheck } from './gather/index.js';
export type { CheckStage, RunCheckOptions } from './gather/index.js';
export { CheckError } from './errors.js';
export type { CheckErrorCode } from './errors.js';
export { renderHtml } from './render.js';
export { renderTextReport } from './text/render-text.js';
export type { NextSteps, TextReportOptions } from './text/render-text.js';
