import type { Report } from '../../src/check/index.js';

/** Each planted finding as `kind subject` (docs/demo.md, "The planted findings"). */
export const PLANTED = [
  'canary-lapsed Globex Telecom Systems',
  'firmware-backdoor-indicator Globex Telecom Systems',
  'firmware-backdoor-indicator Globex Telecom Systems',
  'firmware-backdoor-indicator Globex Telecom Systems',
  'firmware-not-logged globex-r2',
  'policy-violation hikvision, huawei',
  'policy-violation huawei',
  'release-not-equivalent Globex Telecom Systems',
  'unapproved-access globex-r1',
  'undeclared-traffic globex-r1',
  'vulnerable-component Globex Telecom Systems',
];

export function plantedPairs(report: Report): string[] {
  return report.findings
    .map((f) => `${f.kind} ${f.subject.device ?? f.subject.vendor ?? f.subject.release ?? ''}`)
    .sort();
}
