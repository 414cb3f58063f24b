import { NospyError } from '../errors/nospy-error.js';

export type PolicyErrorCode =
  | 'POLICY_PACK_NOT_FOUND'
  | 'POLICY_PACK_UNREADABLE'
  | 'POLICY_PACK_SYNTAX'
  | 'POLICY_PACK_INVALID'
  | 'POLICY_DATE_INVALID'
  | 'POLICY_ASSUMPTION_INVALID';

/**
 * A rule pack that is missing, unreadable, malformed or self-contradictory; a bad date; an
 * assumed parameter no pack declares.
 */
export class PolicyError extends NospyError<PolicyErrorCode> {
  override readonly name = 'PolicyError';
}
