/**
 * The checks a proof of absence is judged by, and their outcomes: shared by the offline verifier
 * (`absence.ts`) and the log-copy scan (`absence-log.ts`).
 */
import type { BundleCheckId } from './bundle.js';
import type { CheckStatus } from './verify.js';

export type AbsenceCheckId =
  | BundleCheckId
  | 'releases-listed'
  | 'release-statements'
  | 'same-checkpoint'
  | 'release-vendor'
  | 'not-named'
  | 'log-copy'
  | 'complete';

export interface AbsenceCheck {
  readonly id: AbsenceCheckId;
  readonly status: CheckStatus;
  readonly message: string;
}

export function pass(id: AbsenceCheckId, message: string): AbsenceCheck {
  return { id, status: 'pass', message };
}

export function fail(id: AbsenceCheckId, message: string): AbsenceCheck {
  return { id, status: 'fail', message };
}

export function warn(id: AbsenceCheckId, message: string): AbsenceCheck {
  return { id, status: 'warn', message };
}
