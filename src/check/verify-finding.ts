/**
 * Verifies a finding's evidence offline, part by part, against a trust file (docs/check.md,
 * "Evidence a stranger can check"): each statement bundle (signatures, signing rules, the log's
 * checkpoint signature and witness quorum, inclusion, its index), each absence (every listed
 * release proven at that checkpoint, none naming the digest), each log-inconsistency proof, the
 * flow samples' form and origins, and a policy finding's logged inventory re-evaluated with the
 * verifier's own rule packs. Then that every proof is against one checkpoint. Every check runs and
 * is reported, so a verifier learns everything that failed. Pure: the trust, the time, the
 * documents and the policy re-evaluation are handed in.
 */
import { createHash } from 'node:crypto';
import { errorText } from '../errors/error-text.js';
import { formatFlowNdjson } from '../flows/flow-file-format.js';
import { parseNdjsonLine } from '../flows/flow-file-parse.js';
import {
  parseInconsistency,
  verifyInconsistency,
} from '../log/consistency/inconsistency-evidence.js';
import { logTrustOf, NO_LOG_KEY_HINT } from '../log/verify/log-trust.js';
import type { Evaluation } from '../policy/evaluate.js';
import { parseAbsence } from '../statements/absence-evidence.js';
import { verifyAbsence } from '../statements/absence.js';
import { parseBundle, verifyBundle } from '../statements/bundle.js';
import { decodeStatement } from '../statements/statement.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../statements/predicates/deployment.js';
import { INVENTORY_PREDICATE_TYPE } from '../statements/predicates/inventory.js';
import type { Trust } from '../statements/trust.js';
import type { CheckStatus } from '../statements/verify.js';
import type { Checkpoint } from '../tlog/checkpoint.js';
import { sameHash } from '../tlog/proof.js';
import type { FindingFile } from './finding-file.js';
import type {
  Evidence,
  Finding,
  FlowOrigin,
  FlowsEvidence,
  PolicyEvidence,
  StatementEvidence,
} from './finding.js';

/** One check of one evidence part (`part` is its index in `evidence`; none for the whole). */
export interface FindingCheck {
  readonly part: number | undefined;
  /** The part's evidence type (`statement`, `absence`, …) or `finding`. */
  readonly type: string;
  readonly id: string;
  readonly status: CheckStatus;
  readonly message: string;
}

export interface FindingVerification {
  /** True when no check failed. */
  readonly valid: boolean;
  readonly finding: Finding;
  /** The checkpoint every proof is against, when they agree on one. */
  readonly checkpoint: Checkpoint | undefined;
  readonly checks: readonly FindingCheck[];
}

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

export interface VerifyFindingOptions {
  /** Validity periods are judged here (default: the file's `evaluatedAt`; the CLI's clock). */
  readonly now: Date;
  /** A document by hex SHA-256 the file does not carry (a blob store at hand), or undefined. */
  readonly blob?: (hex: string) => Buffer | undefined;
  /** Without it, a logged policy finding's re-evaluation is a failed check. */
  readonly recheckPolicy?: PolicyRecheck;
  /**
   * The record at a flow sample's origin in the verifier's own copy of the flow files (NDJSON
   * text), undefined when no file at hand has that digest; without it, samples are not compared.
   */
  readonly flowRecordAt?: (origin: FlowOrigin) => string | undefined;
}

/** Most item ids a policy finding lists (src/check/rules/policy.ts). */
const MAX_POLICY_ITEMS = 1000;

/** Verifies every part of a finding's evidence; see the module comment. */
export function verifyFinding(
  file: FindingFile,
  trust: Trust,
  options: VerifyFindingOptions,
): FindingVerification {
  const checks: FindingCheck[] = [];
  const checkpoints: { part: number; checkpoint: Checkpoint }[] = [];
  const { finding } = file;
  finding.evidence.forEach((part, i) => {
    const add = (id: string, status: CheckStatus, message: string): void => {
      checks.push({ part: i, type: part.type, id, status, message });
    };
    const seen = (checkpoint: Checkpoint | undefined): void => {
      if (checkpoint !== undefined) checkpoints.push({ part: i, checkpoint });
    };
    verifyPart(part, file, trust, options, add, seen);
  });
  const whole = (id: string, status: CheckStatus, message: string): void => {
    checks.push({ part: undefined, type: 'finding', id, status, message });
  };
  if (finding.evidence.length === 0) {
    whole('evidence', 'fail', 'the finding carries no evidence');
  }
  crossChecks(finding, whole);
  const first = checkpoints[0]?.checkpoint;
  const apart = checkpoints.filter(
    (c) => first !== undefined && !sameCheckpoint(c.checkpoint, first),
  );
  if (first !== undefined) {
    whole(
      'one-checkpoint',
      apart.length === 0 ? 'pass' : 'fail',
      apart.length === 0
        ? `every proof is against the log's checkpoint of size ${first.size}`
        : `the proofs of evidence part(s) ${apart.map((c) => c.part).join(', ')} are against another checkpoint than part ${checkpoints[0]?.part ?? 0}'s: one finding is one state of the log`,
    );
  }
  return {
    valid: checks.every((c) => c.status !== 'fail'),
    finding,
    checkpoint: apart.length === 0 ? first : undefined,
    checks,
  };
}

type Add = (id: string, status: CheckStatus, message: string) => void;

/**
 * What ties the parts to each other: an absence is about the image a cited statement (the
 * deployment) names, and a policy evaluation's day is the finding's.
 */
function crossChecks(finding: Finding, whole: Add): void {
  // The images the cited deployment statements saw running.
  const deployed = new Set<string>();
  for (const part of finding.evidence) {
    if (part.type !== 'statement') continue;
    const statement = decodeStatementOf(part);
    if (statement?.predicateType !== DEPLOYMENT_PREDICATE_TYPE) continue;
    for (const s of statement.subject) deployed.add(`sha256:${s.digest.sha256}`);
  }
  for (const part of finding.evidence) {
    if (part.type === 'absence') {
      if (deployed.size === 0) {
        whole(
          'absence-subject',
          'warn',
          `no cited deployment statement names ${part.digest}: the image comes from the operator's inventory`,
        );
      } else {
        whole(
          'absence-subject',
          deployed.has(part.digest) ? 'pass' : 'fail',
          deployed.has(part.digest)
            ? `the absent image ${part.digest} is the one the cited deployment statement saw running`
            : `the absence is about ${part.digest}, which no cited deployment statement names`,
        );
      }
    }
    if (part.type === 'policy' && part.logged !== undefined) {
      const day = finding.lastSeen.slice(0, 10);
      whole(
        'policy-date',
        part.logged.date === day ? 'pass' : 'fail',
        part.logged.date === day
          ? `the packs were evaluated on the finding's day, ${day}`
          : `the evidence evaluates on ${part.logged.date}, but the finding is of ${day}`,
      );
    }
  }
}

function verifyPart(
  part: Evidence,
  file: FindingFile,
  trust: Trust,
  options: VerifyFindingOptions,
  add: Add,
  seen: (checkpoint: Checkpoint | undefined) => void,
): void {
  switch (part.type) {
    case 'statement':
      seen(verifyStatementPart(part, trust, options.now, add).checkpoint);
      return;
    case 'absence': {
      let evidence;
      try {
        evidence = parseAbsence(JSON.stringify(part));
      } catch (error) {
        add('format', 'fail', errorText(error));
        return;
      }
      const result = verifyAbsence(evidence, trust, { now: options.now });
      for (const c of result.checks) add(c.id, c.status, c.message);
      add(
        'complete',
        'skip',
        'offline, the listed releases are checked; that no other release names the digest needs a copy of the log (nospy verify <the absence part> --log <copy>)',
      );
      seen(result.checkpoint);
      return;
    }
    case 'log-inconsistency': {
      const logTrust = logTrustOf(trust);
      if (logTrust === undefined) {
        add('log-key', 'fail', NO_LOG_KEY_HINT);
        return;
      }
      let evidence;
      try {
        evidence = parseInconsistency(JSON.stringify(part));
      } catch (error) {
        add('format', 'fail', errorText(error));
        return;
      }
      for (const c of verifyInconsistency(evidence, logTrust).checks) {
        add(c.id, c.status, c.message);
      }
      return;
    }
    case 'flows':
      verifyFlows(part, options.flowRecordAt, add);
      return;
    case 'policy':
      seen(verifyPolicy(part, file, trust, options, add));
      return;
    case 'file':
      add(
        'image',
        'skip',
        `not checkable without the image: ${part.image} ${part.path}${part.line === undefined ? '' : `:${part.line}`} (nospy firmware scan of the image, whose digest the release statement in this evidence signs)`,
      );
      return;
    case 'advisory':
      add(
        'advisory',
        'skip',
        `not checkable without the advisory data: ${part.id} against ${part.component} ${part.version} (the SBOM's digest is signed in the release statement)`,
      );
      return;
    case 'diff':
      add(
        'diff-report',
        'skip',
        `not checkable without the diff report ${part.report}, whose digest the rebuild statement at index ${part.statement} signs`,
      );
      return;
  }
}

function verifyStatementPart(
  part: StatementEvidence,
  trust: Trust,
  now: Date,
  add: Add,
): { checkpoint: Checkpoint | undefined; predicate: string | undefined } {
  let bundle;
  try {
    bundle = parseBundle(JSON.stringify(part));
  } catch (error) {
    add('format', 'fail', errorText(error));
    return { checkpoint: undefined, predicate: undefined };
  }
  const result = verifyBundle(bundle, trust, { now });
  for (const c of result.checks) add(c.id, c.status, c.message);
  return { checkpoint: result.checkpoint, predicate: result.predicate };
}

function verifyFlows(
  part: FlowsEvidence,
  recordAt: VerifyFindingOptions['flowRecordAt'],
  add: Add,
): void {
  const malformed: number[] = [];
  part.records.forEach((record, i) => {
    try {
      const text = JSON.stringify(record);
      // The record must be a flow record exactly as the flow-file format writes one.
      if (formatFlowNdjson(parseNdjsonLine(text, `records[${i}]`).record) !== text) {
        malformed.push(i);
      }
    } catch {
      malformed.push(i);
    }
  });
  add(
    'records',
    malformed.length === 0 ? 'pass' : 'fail',
    malformed.length === 0
      ? `${part.records.length} sample flow record(s), each a well-formed flow record`
      : `sample record(s) ${malformed.join(', ')} are not flow records as the flow-file format writes them`,
  );
  if (part.records.length > part.total.records) {
    add(
      'records',
      'fail',
      `${part.records.length} samples, but the total says ${part.total.records} records`,
    );
  }
  const origins = part.origins;
  if (origins === undefined) {
    add('origins', 'warn', 'the samples do not say where they were read');
  } else if (origins.length !== part.records.length) {
    add(
      'origins',
      'fail',
      `${origins.length} origin(s) for ${part.records.length} sample record(s): each record has one`,
    );
  } else {
    add(
      'origins',
      'pass',
      `each sample names its source: ${[...new Set(origins.map((o) => `${o.path} (sha256:${o.sha256.slice(0, 12)}…)`))].join(', ')}`,
    );
  }
  if (recordAt === undefined || origins === undefined) {
    add(
      'observed',
      'skip',
      "flow records are the operator's observations, signed by no one: give the flow files (--flows) to compare each sample with the line at its offset in the file or flow-store segment of that SHA-256",
    );
    return;
  }
  const missing: number[] = [];
  const differ: number[] = [];
  origins.forEach((origin, i) => {
    const found = recordAt(origin);
    if (found === undefined) missing.push(i);
    else if (found !== JSON.stringify(part.records[i])) differ.push(i);
  });
  add(
    'observed',
    missing.length === 0 && differ.length === 0 ? 'pass' : 'fail',
    missing.length === 0 && differ.length === 0
      ? `each sample is the record at its offset in the flow file of its SHA-256`
      : [
          missing.length > 0
            ? `no record at the origin of sample(s) ${missing.join(', ')} in the flow files given (no file of that SHA-256, or no line starts at that offset)`
            : '',
          differ.length > 0
            ? `sample(s) ${differ.join(', ')} differ from the record at their offset`
            : '',
        ]
          .filter((t) => t !== '')
          .join('; '),
  );
}

function verifyPolicy(
  part: PolicyEvidence,
  file: FindingFile,
  trust: Trust,
  options: VerifyFindingOptions,
  add: Add,
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

function decodeStatementOf(part: StatementEvidence) {
  try {
    return decodeStatement(parseBundle(JSON.stringify(part)).envelope);
  } catch {
    return undefined;
  }
}

function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  return a.origin === b.origin && a.size === b.size && sameHash(a.rootHash, b.rootHash);
}

/**
 * The documents (hex SHA-256) the finding's evidence names but the file does not carry: the
 * logged inventories of policy parts, for the caller to fetch from a blob store at hand.
 */
export function documentsNeeded(file: FindingFile): string[] {
  const needed = new Set<string>();
  for (const part of file.finding.evidence) {
    if (part.type !== 'policy' || part.logged === undefined) continue;
    for (const s of decodeStatementOf(part.logged.inventory)?.subject ?? []) {
      if (!file.blobs.has(s.digest.sha256)) needed.add(s.digest.sha256);
    }
  }
  return [...needed];
}
