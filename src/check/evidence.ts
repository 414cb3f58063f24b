/**
 * What the check engine reads: everything already loaded and parsed by the adapters
 * (`src/check/gather/`). The engine does no I/O; the same evidence and the same `now` always
 * give the same report.
 */
import type { StoredDiffReport } from '../firmware/diff/report.js';
import type { Indicator } from '../firmware/indicators/types.js';
import type { FlowRecord } from '../flows/flow-record.js';
import type { BehaviourDevice } from '../mud/behaviour.js';
import type { Evaluation } from '../policy/evaluate.js';
import type { Statement } from '../statements/statement.js';
import type { InconsistencyEvidence } from '../log/consistency/inconsistency-evidence.js';
import type { TrafficReport } from '../traffic/traffic-store-port.js';
import type { FlowOrigin } from './finding.js';

/** A statement read from the log, with what a third party needs to check it offline. */
export interface LoggedStatement {
  /** Its index in the log. */
  readonly index: number;
  /** The DSSE envelope exactly as logged (JSON text). */
  readonly envelope: string;
  /** c2sp.org/tlog-proof of the entry against a (cosigned) checkpoint. */
  readonly tlogProof: string;
  /** The verified, parsed statement. */
  readonly statement: Statement;
}

/** A device the operator runs, as the inventory records it. */
export interface InventoryDevice {
  readonly id: string;
  readonly vendor: string;
  readonly model: string | undefined;
  /** The firmware image the inventory says it runs, by hex SHA-256. */
  readonly firmware: { readonly sha256: string; readonly version?: string } | undefined;
}

/** A firmware image scanned by src/firmware (its indicators). */
export interface ScannedImage {
  /** The image's name as given in the config (a path relative to it). */
  readonly image: string;
  /** Hex SHA-256 of the image file. */
  readonly sha256: string;
  readonly indicators: readonly Indicator[];
  /**
   * The parts of the image the scan could not examine (where, why): an incomplete scan is a
   * finding of its own (`firmware-unscanned`), never silence. Absent means none.
   */
  readonly unexamined?: readonly UnexaminedPart[];
}

/** One part of an image a scan did not examine, as the unpacker reported it. */
export interface UnexaminedPart {
  readonly reason: string;
  readonly where: string;
  readonly detail: string;
}

/** An advisory that applies to a component of a logged release's SBOM. */
export interface ComponentVulnerability {
  /** The release's image digest, `sha256:<hex>`. */
  readonly release: string;
  readonly component: string;
  readonly version: string;
  readonly advisory: {
    readonly id: string;
    readonly aliases: readonly string[];
    /** `critical` | `high` | `medium` | `low` (CVSS v3 rating or the database's own). */
    readonly severity: string | null;
    /** ISO 8601: when the advisory was published (the fix window starts then). */
    readonly published: string;
  };
  readonly affected: string;
  readonly fixed?: string;
}

/** Flow records with the devices (compiled MUD files) they are judged against. */
export interface FlowEvidence {
  readonly devices: readonly BehaviourDevice[];
  readonly records: readonly FlowRecord[];
  /** A name for the sources, for the evidence (e.g. the flow file paths). */
  readonly sources: readonly string[];
  /** Where each record was read, by identity (records from elsewhere have none). */
  readonly origins?: ReadonlyMap<FlowRecord, FlowOrigin>;
}

/**
 * Traffic verdicts already judged by traffic workers (`nospy traffic worker`), as their store
 * holds them: the findings and totals, and the stream message that carried each sample record.
 */
export interface TrafficEvidence {
  readonly report: TrafficReport;
  /** The store, for the evidence (its path, or its URL without a password). */
  readonly store: string;
}

/**
 * A diff report a rebuild statement names, as read from the blob store (checked against its
 * digest on arrival): the report, or why it could not be used.
 */
export interface RebuildDiff {
  /** Hex SHA-256 of the report. */
  readonly sha256: string;
  readonly report?: StoredDiffReport;
  /** Why the report held under that digest is not a diff report. */
  readonly problem?: string;
}

/**
 * What the policy evaluation rests on when the operator logged its inventory: the `inventory`
 * statement naming the inventory file's SHA-256, those bytes, and the packs' and registry's
 * digests and the day (policy findings then carry it as evidence `nospy verify` re-evaluates).
 */
export interface LoggedPolicyInput {
  readonly inventory: LoggedStatement;
  readonly bytes: Buffer;
  readonly packs: readonly { readonly id: string; readonly sha256: string }[];
  readonly registry: string;
  /** YYYY-MM-DD. */
  readonly date: string;
}

/** Everything the engine joins into one report. */
export interface CheckEvidence {
  /** Verified statements read from the log, in log order. */
  readonly statements: readonly LoggedStatement[];
  /** The checkpoint the statements were read (and proved) against. */
  readonly checkpoint?: string;
  readonly inventory?: readonly InventoryDevice[];
  readonly flows?: FlowEvidence;
  /** Traffic verdicts from a traffic store; when present, `flows` is not judged. */
  readonly traffic?: TrafficEvidence;
  readonly firmware?: readonly ScannedImage[];
  readonly vulnerabilities?: readonly ComponentVulnerability[];
  /**
   * The SBOMs (`sha256:<hex>`) matched against OSV advisories: absent when no OSV data was given,
   * empty when it was but no SBOM was found (none configured, none of the releases' in the blob
   * store). An empty `vulnerabilities` says nothing without it: nothing found, or nothing looked at.
   */
  readonly sbomsMatched?: readonly string[];
  readonly policy?: Evaluation;
  /** Set when the inventory the policy was evaluated on is logged. */
  readonly policyInput?: LoggedPolicyInput;
  /**
   * Proofs that the log signed two checkpoints that cannot both be true, each already verified
   * by the adapter (src/log/consistency): two roots at one size, or a tree that does not extend
   * an earlier one.
   */
  readonly inconsistencies?: readonly InconsistencyEvidence[];
  /** The diff reports rebuild statements name, that the blob store held. */
  readonly rebuildDiffs?: readonly RebuildDiff[];
}
