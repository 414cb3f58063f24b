/**
 * Evidence that a log signed two checkpoints that cannot both be true: a proof of misbehaviour
 * that anyone holding only the log's verifier key checks offline (`nospy verify`).
 *
 *   {"format": "nospy-evidence/v1", "type": "log-inconsistency",
 *    "origin": "<the log's origin>",
 *    "conflict": "two-roots-at-one-size" | "not-an-extension",
 *    "older": {"checkpoint": "<signed note>", "seenBy": "<where it came from>"},
 *    "newer": {"checkpoint": "<signed note>", "seenBy": "…"},
 *    "proof": ["<base64 hash>", …],
 *    "detail": "<one line>"}
 *
 * Two roots at one size need no proof. For sizes m < n, `proof` is SUBPROOF(m, D[0:n], false)
 * (RFC 9162 §2.1.4.1) computed from the newer tree: run as the consistency check runs it
 * (§2.1.4.2), it must lead to the newer checkpoint's root — so, SHA-256 being collision
 * resistant, its hashes are that signed tree's own — and to a root of its first m leaves that is
 * not the older checkpoint's. A log that kept its promise cannot have signed both. `seenBy` and
 * `detail` are informative and unauthenticated. Pure: the keys are handed in.
 */
import { openCheckpoint, type Checkpoint, type OpenedCheckpoint } from '../../tlog/checkpoint.js';
import { EMPTY_ROOT, HASH_SIZE } from '../../tlog/hash.js';
import { MAX_NOTE_BYTES } from '../../tlog/note.js';
import { MAX_PROOF_HASHES, rootsFromConsistencyPath, sameHash } from '../../tlog/proof.js';
import { decodeBase64Strict } from '../../tlog/signature-line.js';
import { LogError } from '../errors.js';
import type { LogTrust } from '../verify/verify-log.js';

/** The evidence family (src/statements/bundle.ts writes the same format for statements). */
export const EVIDENCE_FORMAT = 'nospy-evidence/v1';
export const INCONSISTENCY_TYPE = 'log-inconsistency';
/** Two notes with their cosignatures, a proof and a few lines of text. */
export const MAX_INCONSISTENCY_BYTES = 2 * MAX_NOTE_BYTES + 64 * 1024;

export type ConflictKind = 'two-roots-at-one-size' | 'not-an-extension';

/** A type alias, so that it is a plain JSON record. */
export type SeenCheckpoint = {
  /** The signed (possibly cosigned) checkpoint note, verbatim. */
  readonly checkpoint: string;
  /** Where it was seen (a URL, a file, the verifier's own state); not authenticated. */
  readonly seenBy: string;
};

/** A type alias, not an interface, so that it is a plain JSON record wherever evidence goes. */
export type InconsistencyEvidence = {
  readonly format: typeof EVIDENCE_FORMAT;
  readonly type: typeof INCONSISTENCY_TYPE;
  readonly origin: string;
  readonly conflict: ConflictKind;
  /** The smaller tree (or, at one size, the first root seen). */
  readonly older: SeenCheckpoint;
  readonly newer: SeenCheckpoint;
  /** Base64 hashes; empty for two roots at one size. */
  readonly proof: readonly string[];
  readonly detail: string;
};

/** True for a JSON value that says it is log-inconsistency evidence (then parse it strictly). */
export function isInconsistencyDocument(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    (json as { type?: unknown }).type === INCONSISTENCY_TYPE
  );
}

/** The evidence file's text (pretty JSON, one trailing newline). */
export function formatInconsistency(evidence: InconsistencyEvidence): string {
  return `${JSON.stringify(evidence, null, 2)}\n`;
}

const FIELDS = ['format', 'type', 'origin', 'conflict', 'older', 'newer', 'proof', 'detail'];

/**
 * Reads evidence strictly: bounded, JSON, exactly the fields above, the right types. Throws
 * LOG_EVIDENCE_INVALID naming the field. Whether it proves anything is `verifyInconsistency`'s
 * business.
 */
export function parseInconsistency(input: Uint8Array | string): InconsistencyEvidence {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_INCONSISTENCY_BYTES) {
    throw invalid('evidence', `is ${size} bytes, more than the ${MAX_INCONSISTENCY_BYTES} allowed`);
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'));
  } catch (error) {
    throw invalid('evidence', `is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid('evidence', 'must be a JSON object');
  }
  const record = json as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!FIELDS.includes(key)) throw invalid(key, 'is not a field of log-inconsistency evidence');
  }
  if (record.format !== EVIDENCE_FORMAT) throw invalid('format', `must be "${EVIDENCE_FORMAT}"`);
  if (record.type !== INCONSISTENCY_TYPE) throw invalid('type', `must be "${INCONSISTENCY_TYPE}"`);
  if (typeof record.origin !== 'string' || record.origin.length === 0) {
    throw invalid('origin', 'must be the log origin');
  }
  if (record.conflict !== 'two-roots-at-one-size' && record.conflict !== 'not-an-extension') {
    throw invalid('conflict', 'must be "two-roots-at-one-size" or "not-an-extension"');
  }
  if (!Array.isArray(record.proof) || record.proof.length > MAX_PROOF_HASHES + 1) {
    throw invalid('proof', `must be a list of at most ${MAX_PROOF_HASHES + 1} base64 hashes`);
  }
  record.proof.forEach((hash, i) => {
    if (typeof hash !== 'string' || decodeBase64Strict(hash)?.length !== HASH_SIZE) {
      throw invalid(`proof[${i}]`, 'is not a base64 SHA-256 hash');
    }
  });
  if (typeof record.detail !== 'string') throw invalid('detail', 'must be a string');
  return {
    format: EVIDENCE_FORMAT,
    type: INCONSISTENCY_TYPE,
    origin: record.origin,
    conflict: record.conflict,
    older: seen(record.older, 'older'),
    newer: seen(record.newer, 'newer'),
    proof: record.proof as string[],
    detail: record.detail,
  };
}

function seen(value: unknown, field: string): SeenCheckpoint {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(field, 'must be {"checkpoint": "<signed note>", "seenBy": "…"}');
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'checkpoint' && key !== 'seenBy')
      throw invalid(`${field}.${key}`, 'is not a field');
  }
  if (typeof record.checkpoint !== 'string' || record.checkpoint.length === 0) {
    throw invalid(`${field}.checkpoint`, 'must be the signed checkpoint note');
  }
  if (typeof record.seenBy !== 'string') throw invalid(`${field}.seenBy`, 'must be a string');
  return { checkpoint: record.checkpoint, seenBy: record.seenBy };
}

/**
 * The evidence for two checkpoints of one log: at one size, their roots; at sizes m < n, the
 * full consistency path `path` from the newer tree (see the module comment). The caller has
 * already found them incompatible; `verifyInconsistency` is what proves it.
 */
export function inconsistencyEvidence(
  older: SeenCheckpoint & { readonly opened: Checkpoint },
  newer: SeenCheckpoint & { readonly opened: Checkpoint },
  path: readonly Buffer[],
): InconsistencyEvidence {
  const m = older.opened.size;
  const n = newer.opened.size;
  const conflict: ConflictKind = m === n ? 'two-roots-at-one-size' : 'not-an-extension';
  return {
    format: EVIDENCE_FORMAT,
    type: INCONSISTENCY_TYPE,
    origin: older.opened.origin,
    conflict,
    older: { checkpoint: older.checkpoint, seenBy: older.seenBy },
    newer: { checkpoint: newer.checkpoint, seenBy: newer.seenBy },
    proof: path.map((h) => h.toString('base64')),
    detail:
      conflict === 'two-roots-at-one-size'
        ? `the log signed two different trees of size ${m}: root ${older.opened.rootHash.toString('base64')} (${older.seenBy}) and ${newer.opened.rootHash.toString('base64')} (${newer.seenBy})`
        : `the log's tree of size ${n} (${newer.seenBy}) does not extend its tree of size ${m} (${older.seenBy}): its first ${m} leaves have another root`,
  };
}

export type InconsistencyCheckId =
  'checkpoint-signature' | 'witness-quorum' | 'same-log' | 'incompatible';

export interface InconsistencyCheck {
  readonly id: InconsistencyCheckId;
  readonly status: 'pass' | 'fail' | 'warn';
  readonly message: string;
}

export interface InconsistencyVerification {
  /** True when no check failed: the log signed both checkpoints and they cannot both hold. */
  readonly valid: boolean;
  readonly origin: string;
  readonly older: Checkpoint | undefined;
  readonly newer: Checkpoint | undefined;
  readonly checks: readonly InconsistencyCheck[];
}

/**
 * Verifies evidence offline against the trust file's log key and witnesses: both checkpoints
 * are signed by the log key (with the origin its name), any cosignature by a listed witness
 * verifies, and the two cannot both be true. Every check runs and is reported.
 */
export function verifyInconsistency(
  evidence: InconsistencyEvidence,
  trust: LogTrust,
): InconsistencyVerification {
  const checks: InconsistencyCheck[] = [];
  const open = (which: 'older' | 'newer'): OpenedCheckpoint | undefined => {
    try {
      // Any quorum: the log's own signature is what makes it accountable for the checkpoint.
      const opened = openCheckpoint(evidence[which].checkpoint, trust.logKey, {
        witnesses: trust.witnesses,
        quorum: 0,
      });
      checks.push(
        pass(
          'checkpoint-signature',
          `the ${which} checkpoint (size ${opened.checkpoint.size}) is signed by the log key ${trust.logKey.name}`,
        ),
      );
      const count = opened.cosignatures.length;
      checks.push(
        count >= trust.quorum
          ? pass(
              'witness-quorum',
              `the ${which} checkpoint carries ${count} valid witness cosignature(s), quorum ${trust.quorum}`,
            )
          : {
              id: 'witness-quorum',
              status: 'warn',
              message: `the ${which} checkpoint carries ${count} valid witness cosignature(s), fewer than the quorum ${trust.quorum}: the log signed it all the same`,
            },
      );
      return opened;
    } catch (error) {
      checks.push(
        fail(
          'checkpoint-signature',
          `the ${which} checkpoint does not verify under the trust file's log key: ${(error as Error).message}`,
        ),
      );
      return undefined;
    }
  };
  const older = open('older')?.checkpoint;
  const newer = open('newer')?.checkpoint;
  if (older !== undefined && newer !== undefined) {
    checks.push(
      older.origin === evidence.origin && newer.origin === evidence.origin
        ? pass('same-log', `both checkpoints are of ${evidence.origin}`)
        : fail(
            'same-log',
            `the checkpoints are of ${older.origin} and ${newer.origin}, the evidence says ${evidence.origin}`,
          ),
    );
    checks.push(incompatibility(evidence, older, newer));
  }
  return {
    valid: checks.every((c) => c.status !== 'fail'),
    origin: evidence.origin,
    older,
    newer,
    checks,
  };
}

function incompatibility(
  evidence: InconsistencyEvidence,
  older: Checkpoint,
  newer: Checkpoint,
): InconsistencyCheck {
  const m = older.size;
  const n = newer.size;
  const proof = evidence.proof.map((h) => decodeBase64Strict(h) as Buffer);
  const expected: ConflictKind = m === n ? 'two-roots-at-one-size' : 'not-an-extension';
  if (evidence.conflict !== expected) {
    return fail(
      'incompatible',
      `the checkpoints have sizes ${m} and ${n}, so the conflict is "${expected}", not "${evidence.conflict}"`,
    );
  }
  if (m > n)
    return fail(
      'incompatible',
      `the older checkpoint (size ${m}) is larger than the newer (size ${n})`,
    );
  if (m === n) {
    if (proof.length > 0)
      return fail('incompatible', 'two checkpoints of one size need no proof; this one has one');
    return sameHash(older.rootHash, newer.rootHash)
      ? fail('incompatible', `both checkpoints have size ${m} and the same root: they agree`)
      : pass('incompatible', `the log signed two different roots for size ${m}`);
  }
  if (m === 0) {
    return sameHash(older.rootHash, EMPTY_ROOT)
      ? fail('incompatible', 'every tree extends the empty tree')
      : pass('incompatible', 'the log signed a tree of size 0 whose root is not SHA-256("")');
  }
  let roots;
  try {
    roots = rootsFromConsistencyPath(m, n, proof);
  } catch (error) {
    return fail(
      'incompatible',
      `the proof is not a consistency path from ${m} to ${n}: ${(error as Error).message}`,
    );
  }
  if (!sameHash(roots.newRoot, newer.rootHash)) {
    return fail(
      'incompatible',
      `the proof does not lead to the newer checkpoint's root, so it says nothing about the tree the log signed at size ${n}`,
    );
  }
  if (sameHash(roots.oldRoot, older.rootHash)) {
    return fail(
      'incompatible',
      `the proof shows the tree of size ${n} extends the tree of size ${m}: they are consistent`,
    );
  }
  return pass(
    'incompatible',
    `the proof leads to the signed root of size ${n}, and by it the first ${m} leaves of that tree have the root ${Buffer.from(roots.oldRoot).toString('base64')}, not the signed ${older.rootHash.toString('base64')}: the log signed two histories`,
  );
}

function pass(id: InconsistencyCheckId, message: string): InconsistencyCheck {
  return { id, status: 'pass', message };
}

function fail(id: InconsistencyCheckId, message: string): InconsistencyCheck {
  return { id, status: 'fail', message };
}

function invalid(field: string, message: string): LogError {
  return new LogError('LOG_EVIDENCE_INVALID', `log-inconsistency evidence: ${field} ${message}`, {
    where: field,
  });
}
