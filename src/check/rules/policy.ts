/**
 * policy-violation: the rule packs' evaluation (src/policy) of the operator's inventory; only
 * rules whose status is `violation` are findings (policy/advisory/review rules are guidance).
 */
import type { Evaluation } from '../../policy/evaluate.js';
import { formatDay } from '../../inventory/day.js';
import type { Finding, LoggedPolicyBasis } from '../finding.js';
import type { EvidenceIndex } from '../evidence-index.js';
import { makeFinding, statementEvidence } from '../make-finding.js';
import { instant } from '../normalise.js';

/** At most this many item ids are listed in one finding's evidence. */
const MAX_ITEMS = 1000;

/** Findings of kind `policy-violation`. */
export function policyViolations(ctx: EvidenceIndex): Finding[] {
  const evaluation: Evaluation | undefined = ctx.evidence.policy;
  if (evaluation === undefined) return [];
  const day = instant(formatDay(evaluation.date));
  const input = ctx.evidence.policyInput;
  const logged: LoggedPolicyBasis | undefined =
    input === undefined
      ? undefined
      : {
          inventory: statementEvidence(input.inventory),
          packs: input.packs,
          registry: input.registry,
          date: input.date,
        };
  return evaluation.findings
    .filter((f) => f.status === 'violation')
    .map((f) => {
      const vendors = [...new Set(f.vendors.map((v) => v.entity))].sort();
      const vendor = vendors.join(', ');
      return makeFinding({
        kind: 'policy-violation',
        severity: 'high',
        subject: vendors.length === 0 ? { log: f.pack } : { vendor },
        breaks: { type: 'rule', pack: f.pack, rule: f.rule },
        what: `${f.pack}\u0000${f.rule}`,
        firstSeen: day,
        lastSeen: day,
        explanation: `${f.pack} rule ${f.rule}${f.title === undefined ? '' : ` (${f.title})`} is broken by ${f.items.length} inventory item${f.items.length === 1 ? '' : 's'}${vendor === '' ? '' : ` of ${vendor}`}.`,
        evidence: [
          {
            type: 'policy',
            pack: f.pack,
            rule: f.rule,
            items: f.items.slice(0, MAX_ITEMS),
            ...(f.vendors.length === 0
              ? {}
              : {
                  source: f.vendors.map((v) => `${v.recorded} → ${v.name} (${v.role})`).join('; '),
                }),
            ...(logged === undefined ? {} : { logged }),
          },
        ],
      });
    });
}
