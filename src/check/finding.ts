import type { InconsistencyEvidence } from '../log/consistency/inconsistency-evidence.js';

/**
 * A finding: one broken promise or rule, with the evidence a third party checks offline. The
 * engine (`src/check/`) produces findings as data; the CLI, the HTML report, the REST API and the
 * dashboard only read them.
 */

/** The kinds of finding (docs/DESIGN.md §2, "Checks"). */
export const FINDING_KINDS = [
  'firmware-not-logged',
  'firmware-backdoor-indicator',
  'firmware-unscanned',
  'release-not-equivalent',
  'release-not-reproduced',
  'vulnerable-component',
  'undeclared-traffic',
  'unapproved-access',
  'canary-lapsed',
  'policy-violation',
  'log-inconsistency',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a finding is about; at least one field is set. */
export interface FindingSubject {
  readonly device?: string;
  readonly vendor?: string;
  /** The release's image digest, `sha256:<hex>`. */
  readonly release?: string;
  /** A log's origin, for log inconsistencies. */
  readonly log?: string;
}

/** The agreement clause or the government rule a finding breaks. */
export type BrokenPromise =
  | {
      readonly type: 'clause';
      /** The agreement statement's log index. */
      readonly agreement: number;
      /** The clause id inside the agreement, e.g. `firmware-logged-before-deployment`. */
      readonly clause: string;
    }
  | { readonly type: 'rule'; readonly pack: string; readonly rule: string }
  /** Properties of the log itself (append-only, witnessed). */
  | { readonly type: 'log'; readonly property: 'consistency' };

/** A logged statement as evidence carries it: its log index, envelope and tlog-proof. */
export interface ProvenStatement {
  readonly index: number;
  /** The DSSE envelope exactly as logged (JSON text). */
  readonly envelope: string;
  /** c2sp.org/tlog-proof for the envelope against the evidence's checkpoint. */
  readonly tlogProof: string;
}

/** A piece of evidence; each kind carries what a verifier needs, nothing refers to local state. */
export type Evidence =
  | StatementEvidence
  | {
      /**
       * A checkpoint at which no logged release names the digest. `nospy verify` checks it
       * offline (docs/check.md, "Proof of absence"): every release of `vendor` is included
       * with its tlog-proof against `checkpoint`, and none names `digest`; with a copy of the
       * log it also checks that no entry up to the checkpoint's size is a release naming it.
       */
      readonly type: 'absence';
      readonly digest: string;
      /** The (cosigned) checkpoint note the search and every proof below are against. */
      readonly checkpoint: string;
      readonly detail: string;
      /** The vendor whose releases are listed (absent in reports made before it was added). */
      readonly vendor?: string;
      /** The vendor's release statements at the checkpoint, each with its tlog-proof. */
      readonly releases?: readonly ProvenStatement[];
      /** Releases of the vendor left out to bound the evidence's size (0 or absent: none). */
      readonly omitted?: number;
    }
  | FlowsEvidence
  | {
      readonly type: 'file';
      readonly image: string;
      readonly path: string;
      readonly line?: number;
      readonly offset?: number;
      readonly detail: string;
    }
  | {
      readonly type: 'advisory';
      readonly id: string;
      readonly aliases: readonly string[];
      readonly component: string;
      readonly version: string;
      readonly affected: string;
      readonly fixed?: string;
    }
  | PolicyEvidence
  /**
   * Two checkpoints the log signed that cannot both be true, with the proof: the evidence
   * document itself (`nospy-evidence/v1`, docs/log.md), which `nospy verify` checks offline.
   */
  | InconsistencyEvidence
  | DiffEvidence;

/** A DSSE envelope as JSON (base64 payload and signatures), as in a `nospy-evidence/v1` bundle. */
// Type aliases, not interfaces: the API's schema takes evidence as records of unknown fields.
export type EnvelopeJson = {
  readonly payload: string;
  readonly payloadType: string;
  readonly signatures: readonly { readonly keyid: string; readonly sig: string }[];
};

/**
 * A logged statement as evidence: a `nospy-evidence/v1` bundle (src/statements/bundle.ts: the
 * envelope, and the c2sp.org/tlog-proof ending in the cosigned checkpoint) with its type and log
 * index, so that the part cut out of a report is itself a bundle `nospy verify` accepts.
 */
export type StatementEvidence = {
  readonly type: 'statement';
  readonly format: 'nospy-evidence/v1';
  readonly index: number;
  readonly envelope: EnvelopeJson;
  /** c2sp.org/tlog-proof for the envelope against a (cosigned) checkpoint. */
  readonly proof: string;
};

/**
 * Where a sample flow record was read: a flow file, or a segment of a flow store (`nospy collect
 * --data`), the SHA-256 of that file as it was read, and the byte offset and 1-based line number of
 * the record's line in it.
 */
export type FlowOrigin = {
  readonly source: 'file' | 'flow-store';
  /** The file as the config names it, or the segment's path inside its flow store. */
  readonly path: string;
  /** Hex SHA-256 of the file (of a segment still being written: of the bytes read). */
  readonly sha256: string;
  readonly offset: number;
  readonly line: number;
};

/** A message of the flow stream (`NOSPY_FLOWS`) by its stream sequence. */
export type StreamMessage = {
  readonly stream: string;
  readonly sequence: number;
};

/** Flow records behind a behaviour finding: a bounded sample, each with where it was read. */
export type FlowsEvidence = {
  readonly type: 'flows';
  /** Sample flow records in the flow-file NDJSON field names (a bounded sample). */
  readonly records: readonly Readonly<Record<string, unknown>>[];
  /** Where each record of `records` was read (same order; absent for records from elsewhere). */
  readonly origins?: readonly FlowOrigin[];
  /**
   * The stream message that carried each record of `records` (same order), when the verdict is a
   * traffic store's: the JetStream stream and the message's sequence.
   */
  readonly messages?: readonly StreamMessage[];
  readonly total: { readonly records: number; readonly bytes: number };
};

/**
 * What a policy finding was computed from when the operator logged its inventory: the
 * `inventory` statement (its subject is the inventory file's SHA-256; the file is in the blob
 * store), the digests of every rule pack evaluated and of the vendor registry, and the day.
 * `nospy verify` re-evaluates the packs on the logged inventory and confirms the finding.
 */
export type LoggedPolicyBasis = {
  readonly inventory: StatementEvidence;
  /** Every pack of the evaluation (their registry additions all shape vendor recognition). */
  readonly packs: readonly { readonly id: string; readonly sha256: string }[];
  /** Hex SHA-256 of the vendor registry file the evaluation used. */
  readonly registry: string;
  /** The evaluation day, YYYY-MM-DD. */
  readonly date: string;
};

export type PolicyEvidence = {
  readonly type: 'policy';
  readonly pack: string;
  readonly rule: string;
  readonly items: readonly string[];
  readonly source?: string;
  /** Absent when the inventory is not logged: the finding then rests on the operator's word. */
  readonly logged?: LoggedPolicyBasis;
};

/** A file of a diff report, as a finding summarises it. */
export interface DiffFileSummary {
  readonly path: string;
  readonly change: string;
  readonly classification: string | null;
}

/** A back-door indicator of a diff report, as a finding summarises it. */
export interface DiffIndicatorSummary {
  readonly kind: string;
  readonly rule: string;
  readonly path: string;
  readonly detail: string;
}

/**
 * The summary of the diff report a `rebuild` statement names (its digest is signed in the
 * statement, so the report fetched from any blob store is checked against it): which files
 * differ and how, and the indicators found in one image only. `available: false` when the check
 * could not read the report: the evidence then says so and summarises nothing.
 */
export type DiffEvidence = {
  readonly type: 'diff';
  /** `sha256:<hex>` of the diff report, as the rebuild statement names it. */
  readonly report: string;
  /** The log index of the rebuild statement that names it. */
  readonly statement: number;
  readonly available: boolean;
  readonly equivalent?: boolean;
  readonly counts?: {
    readonly added: number;
    readonly removed: number;
    readonly content: number;
    readonly metadata: number;
  };
  /** Entries that break equivalence first, then metadata ones; at most 50. */
  readonly files?: readonly DiffFileSummary[];
  /** Entries left out of `files`. */
  readonly omitted?: number;
  readonly indicators?: {
    readonly onlyInA: readonly DiffIndicatorSummary[];
    readonly onlyInB: readonly DiffIndicatorSummary[];
  };
  readonly detail: string;
};

export interface Finding {
  /** Stable across runs for the same facts: a hash of kind, subject and what is broken. */
  readonly id: string;
  readonly kind: FindingKind;
  readonly severity: Severity;
  readonly subject: FindingSubject;
  readonly breaks: BrokenPromise;
  /** ISO 8601 UTC. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** One line a regulator can read. */
  readonly explanation: string;
  readonly evidence: readonly Evidence[];
}
