/**
 * Who must sign each predicate. A signature counts for a role only when its key belongs, in the
 * trust file, to a party with that role AND that party is the one the statement names (a
 * vendor cannot sign another vendor's release):
 *
 * | predicate  | required signers                                                        |
 * |------------|-------------------------------------------------------------------------|
 * | agreement  | parties.vendor, and parties.operator when the agreement names one; each |
 * |            | with the key handle the agreement pins for it                           |
 * | release    | the vendor                                                              |
 * | access     | the vendor AND the operator                                             |
 * | deployment | the operator                                                            |
 * | canary     | the vendor                                                              |
 * | rebuild    | the evaluator                                                           |
 * | inventory  | the operator                                                            |
 *
 * Other verified signatures (a regulator or auditor countersigning) are allowed and reported.
 */
import { ACCESS_PREDICATE_TYPE } from './predicates/access.js';
import { AGREEMENT_PREDICATE_TYPE } from './predicates/agreement.js';
import { CANARY_PREDICATE_TYPE } from './predicates/canary.js';
import { DEPLOYMENT_PREDICATE_TYPE } from './predicates/deployment.js';
import { REBUILD_PREDICATE_TYPE } from './predicates/rebuild.js';
import { INVENTORY_PREDICATE_TYPE } from './predicates/inventory.js';
import { RELEASE_PREDICATE_TYPE } from './predicates/release.js';
import type { Statement } from './statement.js';
import type { PartyRole } from './trust.js';

export interface RequiredSigner {
  readonly role: Extract<PartyRole, 'vendor' | 'operator' | 'evaluator'>;
  /** The party name the statement gives for that role. */
  readonly party: string;
  /** The key handle the statement itself pins for this party (agreements only). */
  readonly pinnedKey?: string;
}

/** The signers `statement` needs, in the order their absence is reported. */
export function requiredSigners(statement: Statement): RequiredSigner[] {
  switch (statement.predicateType) {
    case AGREEMENT_PREDICATE_TYPE: {
      const { vendor, operator } = statement.predicate.parties;
      const signers: RequiredSigner[] = [
        { role: 'vendor', party: vendor.name, pinnedKey: vendor.key },
      ];
      if (operator !== undefined) {
        signers.push({ role: 'operator', party: operator.name, pinnedKey: operator.key });
      }
      return signers;
    }
    case RELEASE_PREDICATE_TYPE:
    case CANARY_PREDICATE_TYPE:
      return [{ role: 'vendor', party: statement.predicate.vendor }];
    case ACCESS_PREDICATE_TYPE:
      return [
        { role: 'vendor', party: statement.predicate.vendor },
        { role: 'operator', party: statement.predicate.operator },
      ];
    case DEPLOYMENT_PREDICATE_TYPE:
    case INVENTORY_PREDICATE_TYPE:
      return [{ role: 'operator', party: statement.predicate.operator }];
    case REBUILD_PREDICATE_TYPE:
      return [{ role: 'evaluator', party: statement.predicate.evaluator }];
  }
}
