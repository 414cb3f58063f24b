/**
 * Proof of absence, the evidence format: that no logged release names an image digest at a
 * checkpoint, as `nospy check` writes it in a `firmware-not-logged` finding:
 *
 *   {"type": "absence", "digest": "sha256:…", "checkpoint": "<cosigned note>", "detail": "…",
 *    "vendor": "…", "releases": [{"index", "envelope", "tlogProof"}…], "omitted": 0}
 *
 * Read here strictly and bounded (pure); verified by `absence.ts` (offline) and
 * `absence-log.ts` (against a copy of the log).
 */
import { parseEnvelope, type Envelope } from './dsse.js';
import { StatementError } from './errors.js';
import { firstDuplicateKey } from './json-duplicates.js';

/**
 * Most release statements one absence lists: nospy check lists no more and a verifier reads no
 * more, so the evidence stays bounded however big the log (each is a log entry).
 */
export const MAX_ABSENCE_RELEASES = 1000;
/** The releases' envelopes and proofs, and the checkpoint: bounded before any JSON is parsed. */
export const MAX_ABSENCE_BYTES = MAX_ABSENCE_RELEASES * 72 * 1024 + 64 * 1024;

export interface ListedRelease {
  readonly index: number;
  readonly envelope: Envelope;
  /** c2sp.org/tlog-proof text. */
  readonly tlogProof: string;
}

export interface AbsenceEvidence {
  /** `sha256:<64 hex>`. */
  readonly digest: string;
  readonly checkpoint: string;
  readonly detail: string;
  readonly vendor: string | undefined;
  /** Undefined when the evidence only states the absence (reports made before the list). */
  readonly releases: readonly ListedRelease[] | undefined;
  readonly omitted: number;
}

const FIELDS = ['type', 'digest', 'checkpoint', 'detail', 'vendor', 'releases', 'omitted'];
const RELEASE_FIELDS = ['index', 'envelope', 'tlogProof'];

/** True when a parsed JSON document is absence evidence (`"type": "absence"`). */
export function isAbsenceDocument(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    (json as Record<string, unknown>).type === 'absence'
  );
}

/**
 * Reads absence evidence strictly: bounded, JSON, only its own fields, no field twice, each
 * envelope a DSSE envelope. Throws STATEMENT_BUNDLE_INVALID naming the field.
 */
export function parseAbsence(input: Uint8Array | string): AbsenceEvidence {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_ABSENCE_BYTES) {
    throw invalid('evidence', `is ${size} bytes, more than the ${MAX_ABSENCE_BYTES} allowed`);
  }
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid('evidence', `is not JSON: ${(error as Error).message}`);
  }
  if (!isAbsenceDocument(json)) throw invalid('type', 'must be "absence"');
  const repeated = firstDuplicateKey(text);
  if (repeated !== undefined) throw invalid(repeated, 'appears twice in one object');
  const record = json as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!FIELDS.includes(key)) throw invalid(key, 'is not a field of absence evidence');
  }
  const digest = record.digest;
  if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw invalid('digest', 'must be sha256:<64 lowercase hex digits>');
  }
  if (typeof record.checkpoint !== 'string' || record.checkpoint === '') {
    throw invalid('checkpoint', 'must be the signed checkpoint note');
  }
  if (typeof record.detail !== 'string') throw invalid('detail', 'must be text');
  if (record.vendor !== undefined && typeof record.vendor !== 'string') {
    throw invalid('vendor', 'must be text');
  }
  const omitted = record.omitted ?? 0;
  if (typeof omitted !== 'number' || !Number.isSafeInteger(omitted) || omitted < 0) {
    throw invalid('omitted', 'must be a whole number ≥ 0');
  }
  return {
    digest,
    checkpoint: record.checkpoint,
    detail: record.detail,
    vendor: record.vendor,
    releases: record.releases === undefined ? undefined : parseReleases(record.releases),
    omitted,
  };
}

function parseReleases(value: unknown): ListedRelease[] {
  if (!Array.isArray(value)) throw invalid('releases', 'must be a list');
  if (value.length > MAX_ABSENCE_RELEASES) {
    throw invalid(
      'releases',
      `lists ${value.length}, more than the ${MAX_ABSENCE_RELEASES} allowed`,
    );
  }
  return value.map((item: unknown, i) => {
    const where = `releases[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw invalid(where, 'must be an object {index, envelope, tlogProof}');
    }
    const r = item as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!RELEASE_FIELDS.includes(key)) throw invalid(`${where}.${key}`, 'is not a field');
    }
    if (typeof r.index !== 'number' || !Number.isSafeInteger(r.index) || r.index < 0) {
      throw invalid(`${where}.index`, 'must be a log index (a whole number ≥ 0)');
    }
    if (typeof r.envelope !== 'string') {
      throw invalid(`${where}.envelope`, 'must be the logged envelope as JSON text');
    }
    if (typeof r.tlogProof !== 'string') {
      throw invalid(`${where}.tlogProof`, 'must be the c2sp.org/tlog-proof text');
    }
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(r.envelope);
    } catch (error) {
      if (error instanceof StatementError) {
        throw invalid(
          `${where}.envelope${error.where === undefined ? '' : `.${error.where}`}`,
          error.message,
        );
      }
      throw error;
    }
    return { index: r.index, envelope, tlogProof: r.tlogProof };
  });
}

function invalid(where: string, message: string): StatementError {
  return new StatementError('STATEMENT_BUNDLE_INVALID', `absence evidence: ${where} ${message}`, {
    where,
  });
}
