/**
 * How a rule makes a finding: the draft it fills in, the stable id it gets, and the evidence entry
 * of a logged statement. Pure.
 */
import { createHash } from 'node:crypto';
import type { LoggedStatement } from './evidence.js';
import type {
  BrokenPromise,
  EnvelopeJson,
  Evidence,
  Finding,
  FindingKind,
  FindingSubject,
  Severity,
  StatementEvidence,
} from './finding.js';
import { iso } from './normalise.js';

/** The evidence entry for a logged statement: its evidence bundle, with its log index. */
export function statementEvidence(s: LoggedStatement): StatementEvidence {
  return {
    type: 'statement',
    format: 'nospy-evidence/v1',
    index: s.index,
    // The logged entry is the envelope's canonical JSON: parsed, it is the bundle's object.
    envelope: JSON.parse(s.envelope) as EnvelopeJson,
    proof: s.tlogProof,
  };
}

export interface FindingDraft {
  readonly kind: FindingKind;
  readonly severity: Severity;
  readonly subject: FindingSubject;
  readonly breaks: BrokenPromise;
  /** What exactly is broken, beyond kind and subject (a remote endpoint, an indicator rule…). */
  readonly what: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly explanation: string;
  readonly evidence: readonly Evidence[];
}

/** A finding with its stable id: SHA-256 of kind, subject and what is broken (first 16 hex). */
export function makeFinding(d: FindingDraft): Finding {
  const subject = [d.subject.device, d.subject.vendor, d.subject.release, d.subject.log]
    .map((v) => v ?? '')
    .join('\u0000');
  const id = createHash('sha256')
    .update(`${d.kind}\u0000${subject}\u0000${d.what}`)
    .digest('hex')
    .slice(0, 16);
  return {
    id: `${d.kind}:${id}`,
    kind: d.kind,
    severity: d.severity,
    subject: d.subject,
    breaks: d.breaks,
    firstSeen: iso(d.firstSeen),
    lastSeen: iso(d.lastSeen),
    explanation: d.explanation,
    evidence: d.evidence,
  };
}
