/**
 * A policy finding's logged basis: the inventory statement verified, its document matched to the
 * digest it signs, and the rule packs re-evaluated on it with the verifier's own packs.
 */
import { createHash } from 'node:crypto';
import type { Evaluation } from '../policy/evaluate.js';
import { INVENTORY_PREDICATE_TYPE } from '../statements/predicates/inventory.js';
import type { Trust } from '../statements/trust.js';
import type { Checkpoint } from '../tlog/checkpoint.js';
import type { FindingFile } from './finding-file.js';
import type { PolicyEvidence } from './finding.js';
import type { AddCheck } from './evidence-check.js';
import { decodeStatementOf, verifyStatementPart } from './verify-statement-part.js';

/** What a logged policy finding was computed from, as the re-evaluation takes it. */
export interface PolicyBasis {
  readonly inventory: Buffer;
  readonly format: 'yaml' | 'json';
  readonly packs: readonly { readonly id: string; readonly sha256: string }[];
  readonly registry: string;
  readonly date: string;
}

/** Re-evaluates rule packs on a logged inventory (src/policy/from-files.ts `recheckInventory`). */
export type PolicyRecheck = (
  basis: PolicyBasis,
) =>
  | { readonly evaluation: Evaluation; readonly packs: readonly string[] }
  | { readonly failed: string; readonly message: string };

/** Most item ids a policy finding lists (src/check/rules/policy.ts). */
const MAX_POLICY_ITEMS = 1000;

/** What the policy check takes from the verifier's options. */
export interface PolicyCheckOptions {
  readonly now: Date;
  readonly blob?: (hex: string) => Buffer | undefined;
  readonly recheckPolicy?: PolicyRecheck;
}

export function verifyPolicy(
  part: PolicyEvidence,
  file: FindingFile,
  trust: Trust,
  options: PolicyCheckOptions,
  add: AddCheck,
): Checkpoint | undefined {
  const breaks = file.finding.breaks;
  add(
    'rule',
    breaks.type === 'rule' && breaks.pack === part.pack && breaks.rule === part.rule
      ? 'pass'
      : 'fail',
    breaks.type === 'rule' && breaks.pack === part.pack && breaks.rule === part.rule
      ? `the finding breaks ${part.pack} rule ${part.rule}, as the evidence says`
      : `the finding names another rule than the evidence (${part.pack} ${part.rule})`,
  );
  const logged = part.logged;
  if (logged === undefined) {
    add(
      'logged',
      'fail',
      "the inventory this finding was computed from is not logged: it rests on the operator's word and cannot be re-checked (log it: docs/policy.md)",
    );
    return undefined;
  }
  const { checkpoint, predicate } = verifyStatementPart(
    logged.inventory,
    trust,
    options.now,
    (id, status, message) => {
      add(`inventory-${id}`, status, message);
    },
  );
  const statement = decodeStatementOf(logged.inventory);
  if (predicate !== 'inventory' || statement?.predicateType !== INVENTORY_PREDICATE_TYPE) {
    add('inventory-statement', 'fail', 'the logged statement is not an inventory statement');
    return checkpoint;
  }
  add(
    'inventory-statement',
    'pass',
    `the operator ${statement.predicate.operator} logged its inventory as of ${statement.predicate.asOf} at log index ${logged.inventory.index}`,
  );
  const named = statement.subject.map((s) => s.digest.sha256);
  let bytes: Buffer | undefined;
  for (const hex of named) {
    bytes = file.blobs.get(hex) ?? options.blob?.(hex);
    if (bytes !== undefined) break;
  }
  if (bytes === undefined) {
    add(
      'inventory-bytes',
      'fail',
      `the inventory sha256:${named[0] ?? ''} is neither in the evidence file nor in the blob store given (--blobs)`,
    );
    return checkpoint;
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (!named.includes(digest)) {
    add(
      'inventory-digest',
      'fail',
      `the inventory bytes hash to sha256:${digest}, which the logged statement does not name`,
    );
    return checkpoint;
  }
  add('inventory-digest', 'pass', `the inventory bytes are the logged sha256:${digest}`);
  if (!logged.packs.some((p) => p.id === part.pack)) {
    add('reevaluated', 'fail', `the pack ${part.pack} is not among the packs evaluated`);
    return checkpoint;
  }
  if (options.recheckPolicy === undefined) {
    add('reevaluated', 'fail', 'no rule packs were given to re-evaluate the inventory with');
    return checkpoint;
  }
  const outcome = options.recheckPolicy({
    inventory: bytes,
    format: statement.predicate.format,
    packs: logged.packs,
    registry: logged.registry,
    date: logged.date,
  });
  if ('failed' in outcome) {
    add(
      outcome.failed === 'pack' || outcome.failed === 'registry'
        ? `${outcome.failed}-digest`
        : 'reevaluated',
      'fail',
      outcome.message,
    );
    return checkpoint;
  }
  add(
    'pack-digest',
    'pass',
    `re-evaluated with ${outcome.packs.join(', ')}, byte for byte the packs the finding names`,
  );
  const found = outcome.evaluation.findings.find(
    (f) => f.pack === part.pack && f.rule === part.rule,
  );
  if (found?.status !== 'violation') {
    add(
      'reevaluated',
      'fail',
      `re-evaluated on ${logged.date}, ${part.pack} rule ${part.rule} is ${found === undefined ? 'not reported' : `"${found.status}"`}, not a violation`,
    );
    return checkpoint;
  }
  const items = found.items.slice(0, MAX_POLICY_ITEMS);
  const same =
    items.length === part.items.length && items.every((item, i) => item === part.items[i]);
  add(
    'reevaluated',
    same ? 'pass' : 'fail',
    same
      ? `re-evaluated on ${logged.date}: ${part.pack} rule ${part.rule} is broken by the same ${found.items.length} inventory item(s)`
      : `re-evaluated on ${logged.date}, ${part.pack} rule ${part.rule} is broken by ${items.join(', ')}, not by the items the finding lists`,
  );
  return checkpoint;
}
