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
import { errorText } from '../errors/error-text.js';
import {
  parseInconsistency,
  verifyInconsistency,
} from '../log/consistency/inconsistency-evidence.js';
import { logTrustOf, NO_LOG_KEY_HINT } from '../log/verify/log-trust.js';
import { parseAbsence } from '../statements/absence-evidence.js';
import { verifyAbsence } from '../statements/absence.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../statements/predicates/deployment.js';
import type { Trust } from '../statements/trust.js';
import type { CheckStatus } from '../statements/verify.js';
import type { Checkpoint } from '../tlog/checkpoint.js';
import { sameHash } from '../tlog/proof.js';
import type { FindingFile } from './finding-file.js';
import type { Evidence, Finding, FlowOrigin } from './finding.js';
import type { AddCheck } from './evidence-check.js';
import { decodeStatementOf, verifyStatementPart } from './verify-statement-part.js';
import { verifyFlowSamples } from './verify-flow-samples.js';
import { verifyPolicy, type PolicyRecheck } from './verify-policy-evidence.js';

export type { PolicyBasis, PolicyRecheck } from './verify-policy-evidence.js';
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

/**
 * What ties the parts to each other: an absence is about the image a cited statement (the
 * deployment) names, and a policy evaluation's day is the finding's.
 */
function crossChecks(finding: Finding, whole: AddCheck): void {
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
  add: AddCheck,
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
      verifyFlowSamples(part, options.flowRecordAt, add);
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
