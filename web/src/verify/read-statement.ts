/**
 * A log entry's statement laid out for a person: the in-toto statement inside the DSSE envelope
 * (in-toto Statement v1: `_type`, `subject`, `predicateType`, `predicate`), the time it says it
 * was made, and each signature's key id with the party the user's trust file gives that key.
 * Pure and DOM-free: bytes and trust in, a description out; it judges nothing (the verifier does).
 */
import { parseEnvelope } from './dsse.js';
import type { SignerKey, Trust } from './trust.js';

/** A predicate's fields that say when its statement was made, most telling first. */
const TIME_FIELDS = [
  'issuedAt',
  'releasedAt',
  'attestedAt',
  'observedAt',
  'deployedAt',
  'asOf',
  'grantedAt',
] as const;

/** Most subjects shown: a statement may name many digests; the rest are counted. */
const MAX_SUBJECTS = 50;

export interface StatementSubject {
  readonly name: string;
  /** `sha256:<hex>` (or another algorithm's), as the statement writes it. */
  readonly digest: string;
}

export interface StatementSignature {
  readonly keyid: string;
  /** The party and role the user's trust file gives a key of that handle, when it names one. */
  readonly party?: string;
  readonly role?: string;
}

export interface ReadStatement {
  readonly payloadType: string;
  readonly predicateType?: string;
  readonly subjects: readonly StatementSubject[];
  /** Subjects beyond `MAX_SUBJECTS`. */
  readonly moreSubjects: number;
  /** The predicate's own time field and its value, when it has one. */
  readonly time?: { readonly field: string; readonly value: string };
  readonly predicate?: unknown;
  readonly signatures: readonly StatementSignature[];
}

/**
 * The statement an entry holds, or `undefined` when the entry is not a DSSE envelope. An
 * envelope whose payload is not JSON is still described (its type and signatures).
 */
export function readStatement(
  entry: Uint8Array,
  trust: Trust | undefined,
): ReadStatement | undefined {
  let envelope;
  try {
    envelope = parseEnvelope(entry);
  } catch {
    return undefined;
  }
  if (envelope === undefined) return undefined;
  const signatures = envelope.signatures.map((s) => nameSigner(s.keyid, trust?.signers ?? []));
  let statement: unknown;
  try {
    statement = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(envelope.payload));
  } catch {
    return { payloadType: envelope.payloadType, subjects: [], moreSubjects: 0, signatures };
  }
  const record = isRecord(statement) ? statement : {};
  const subjects = Array.isArray(record.subject) ? record.subject : [];
  const predicate = record.predicate;
  const time = isRecord(predicate) ? timeOf(predicate) : undefined;
  return {
    payloadType: envelope.payloadType,
    ...(typeof record.predicateType === 'string' ? { predicateType: record.predicateType } : {}),
    subjects: subjects.slice(0, MAX_SUBJECTS).map(subjectOf),
    moreSubjects: Math.max(0, subjects.length - MAX_SUBJECTS),
    ...(time === undefined ? {} : { time }),
    ...(predicate === undefined ? {} : { predicate }),
    signatures,
  };
}

/**
 * What an entry that is not a DSSE envelope is: a Sigstore transparency-log entry (Rekor v2's
 * `{"apiVersion", "kind", "spec"}`, as `nospy` logs a statement's Sigstore counterpart), or raw
 * bytes. Nothing in it is checked here.
 */
export function describeOtherEntry(entry: Uint8Array): string {
  try {
    const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(entry));
    if (isRecord(json) && typeof json.kind === 'string' && typeof json.apiVersion === 'string') {
      return `a Sigstore log entry (kind ${json.kind.slice(0, 40)}, version ${json.apiVersion.slice(0, 20)})`;
    }
  } catch {
    // Not JSON: raw bytes.
  }
  return `a raw entry of ${String(entry.length)} bytes`;
}

/** The short name of a nospy predicate type (`https://nospy.dev/predicates/release/v1` → `release`). */
export function predicateName(predicateType: string): string {
  const match = /^https:\/\/nospy\.dev\/predicates\/([a-z-]+)\/v\d+$/.exec(predicateType);
  return match?.[1] ?? predicateType;
}

function subjectOf(value: unknown): StatementSubject {
  if (!isRecord(value)) return { name: '', digest: '' };
  const digests = isRecord(value.digest) ? value.digest : {};
  const [algorithm, hex] = Object.entries(digests).find(([, v]) => typeof v === 'string') ?? [];
  return {
    name: typeof value.name === 'string' ? value.name : '',
    digest: algorithm === undefined ? '' : `${algorithm}:${String(hex)}`,
  };
}

function timeOf(predicate: Record<string, unknown>): ReadStatement['time'] {
  for (const field of TIME_FIELDS) {
    const value = predicate[field];
    if (typeof value === 'string') return { field, value };
  }
  const validity = predicate.validity;
  if (isRecord(validity) && typeof validity.from === 'string') {
    return { field: 'validity.from', value: validity.from };
  }
  return undefined;
}

/**
 * A key id is only a hint (it names the key the signer says it used): the party shown is the
 * trust file's for a key of that handle; whether the signature verifies is the verifier's word.
 */
function nameSigner(keyid: string, signers: readonly SignerKey[]): StatementSignature {
  const known = signers.find((s) => s.key.handle === keyid);
  return {
    keyid,
    ...(known?.party === undefined ? {} : { party: known.party }),
    ...(known?.role === undefined ? {} : { role: known.role }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
