/**
 * `nospy verify <log-inconsistency evidence> --trust <file>`: confirms offline, with only the
 * trust file's log key (and witnesses), that the log signed two checkpoints that cannot both be
 * true (src/log/consistency/inconsistency-evidence.ts). No access to the log is needed or used.
 */
import {
  verifyInconsistency,
  type InconsistencyEvidence,
  type InconsistencyVerification,
} from '../../log/consistency/inconsistency-evidence.js';
import { logTrustOf, NO_LOG_KEY_HINT } from '../../log/verify/log-trust.js';
import type { Trust } from '../../statements/trust.js';
import { CliError } from '../errors.js';

export function verifyInconsistencyFile(
  evidence: InconsistencyEvidence,
  trust: Trust,
): InconsistencyVerification {
  const logTrust = logTrustOf(trust);
  if (logTrust === undefined) throw new CliError('CLI_USAGE', NO_LOG_KEY_HINT);
  return verifyInconsistency(evidence, logTrust);
}

export function inconsistencyJson(file: string, result: InconsistencyVerification): unknown {
  const cp = (c: InconsistencyVerification['older']) =>
    c === undefined ? null : { size: c.size, rootHash: c.rootHash.toString('base64') };
  return {
    file,
    valid: result.valid,
    evidence: 'log-inconsistency',
    origin: result.origin,
    older: cp(result.older),
    newer: cp(result.newer),
    checks: result.checks,
    failed: [...new Set(result.checks.filter((c) => c.status === 'fail').map((c) => c.id))],
  };
}

const MARK = { pass: 'ok  ', fail: 'FAIL', warn: 'warn' } as const;

export function inconsistencyHuman(file: string, result: InconsistencyVerification): string {
  const failed = [...new Set(result.checks.filter((c) => c.status === 'fail').map((c) => c.id))];
  const head = result.valid
    ? `${file}: valid proof that ${result.origin} signed two incompatible checkpoints (sizes ${result.older?.size ?? '?'} and ${result.newer?.size ?? '?'})`
    : `${file}: NOT valid: failed ${failed.join(', ')}`;
  return [head, ...result.checks.map((c) => `  ${MARK[c.status]} ${c.id}: ${c.message}`)].join(
    '\n',
  );
}
