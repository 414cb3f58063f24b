/**
 * Evidence bundles: one JSON file that proves, offline, that a signed statement is in a
 * transparency log that its witnesses have seen.
 *
 *   {"format": "nospy-evidence/v1",
 *    "envelope": {<the DSSE envelope>},
 *    "proof": "c2sp.org/tlog-proof@v1\nindex N\n<hashes>\n\n<(cosigned) checkpoint note>"}
 *
 * The checkpoint is the last part of the tlog-proof (c2sp.org/tlog-proof), so the bundle has
 * one copy of it. The log entry is the canonical form of the envelope (serializeEnvelope), so
 * any change to the payload, its type or a signature changes the leaf hash as well as breaking
 * the signature. Pure: the trust and the time are handed in.
 */
import { openCheckpoint, type Checkpoint } from '../tlog/checkpoint.js';
import { leafHash } from '../tlog/hash.js';
import { errorText } from '../errors/error-text.js';
import { parseTlogProof, type TlogProof } from '../tlog/proof-bundle.js';
import { verifyInclusion } from '../tlog/proof.js';
import { keyHandle } from '../tlog/note-key.js';
import { MAX_ENVELOPE_BYTES, parseEnvelope, serializeEnvelope, type Envelope } from './dsse.js';
import { StatementError } from './errors.js';
import { EVIDENCE_FORMAT } from './evidence-format.js';
import { firstDuplicateKey } from './json-duplicates.js';
import type { Trust } from './trust.js';
import { verifyStatement, type Check, type CheckStatus } from './verify.js';

export { EVIDENCE_FORMAT } from './evidence-format.js';
/** An envelope, a proof of at most 64 hashes and a checkpoint with its cosignatures. */
export const MAX_BUNDLE_BYTES = MAX_ENVELOPE_BYTES + 64 * 1024;

export interface EvidenceBundle {
  readonly envelope: Envelope;
  /** The c2sp.org/tlog-proof@v1 text, checkpoint included. */
  readonly proof: string;
  /**
   * The log index the bundle claims, when it says one (a finding's statement evidence is a bundle
   * with `"type": "statement"` and `"index"`): it must be the proof's.
   */
  readonly index?: number;
}

/** The bundle file's text (pretty JSON, one trailing newline). */
export function formatBundle(bundle: EvidenceBundle): string {
  const envelope: unknown = JSON.parse(serializeEnvelope(bundle.envelope).toString('utf8'));
  return `${JSON.stringify({ format: EVIDENCE_FORMAT, envelope, proof: bundle.proof }, null, 2)}\n`;
}

/**
 * Reads a bundle strictly: bounded, JSON, exactly `format`, `envelope`, `proof` (and, as a
 * finding's statement evidence carries them, `"type": "statement"` and `index`), no field twice.
 * Throws STATEMENT_BUNDLE_INVALID (or the envelope's own errors) naming the field. Whether the
 * proof and signatures hold is `verifyBundle`'s business.
 */
export function parseBundle(input: Uint8Array | string): EvidenceBundle {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_BUNDLE_BYTES) {
    throw invalid('bundle', `is ${size} bytes, more than the ${MAX_BUNDLE_BYTES} allowed`);
  }
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid('bundle', `is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid('bundle', 'must be a JSON object');
  }
  const repeated = firstDuplicateKey(text);
  if (repeated !== undefined) throw invalid(repeated, 'appears twice in one object');
  const record = json as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!['format', 'envelope', 'proof', 'type', 'index'].includes(key))
      throw invalid(key, 'is not a bundle field');
  }
  if (record.type !== undefined && record.type !== 'statement') {
    throw invalid('type', 'must be "statement" when given');
  }
  const index = record.index;
  if (
    index !== undefined &&
    (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0)
  ) {
    throw invalid('index', 'must be a log index (a whole number ≥ 0)');
  }
  if (record.format !== EVIDENCE_FORMAT) {
    throw invalid('format', `must be "${EVIDENCE_FORMAT}"`);
  }
  if (typeof record.envelope !== 'object' || record.envelope === null) {
    throw invalid('envelope', 'must be a DSSE envelope object');
  }
  if (typeof record.proof !== 'string') {
    throw invalid('proof', 'must be the c2sp.org/tlog-proof text');
  }
  let envelope: Envelope;
  try {
    envelope = parseEnvelope(JSON.stringify(record.envelope));
  } catch (error) {
    if (error instanceof StatementError)
      throw invalid(`envelope.${error.where ?? ''}`, error.message);
    throw error;
  }
  return { envelope, proof: record.proof, ...(index === undefined ? {} : { index }) };
}

export type BundleCheckId =
  | Check['id']
  | 'entry'
  | 'proof-format'
  | 'log-key'
  | 'checkpoint-signature'
  | 'witness-quorum'
  | 'inclusion'
  | 'index'
  | 'sigstore-entry';

export interface BundleCheck {
  readonly id: BundleCheckId;
  readonly status: CheckStatus;
  readonly message: string;
}

export interface BundleVerification {
  /** True when no check failed. */
  readonly valid: boolean;
  readonly index: number | undefined;
  readonly predicate: string | undefined;
  readonly checkpoint: Checkpoint | undefined;
  readonly checks: readonly BundleCheck[];
}

/**
 * Verifies everything in a bundle against a trust file, offline: the envelope's signatures,
 * schema, signing rules and validity (as `verifyStatement`), the checkpoint's signature by the
 * trust file's log key (and origin), the witness cosignatures against its quorum, and the
 * inclusion of the envelope's canonical bytes under the checkpoint's root. Every check runs and
 * is reported, so the caller learns everything that failed, not only the first.
 */
export function verifyBundle(
  bundle: EvidenceBundle,
  trust: Trust,
  options: { readonly now: Date },
): BundleVerification {
  const statement = verifyStatement(bundle.envelope, trust, options);
  const checks: BundleCheck[] = statement.checks.map(({ id, status, message }) => ({
    id,
    status,
    message,
  }));

  let entry: Buffer | undefined;
  try {
    entry = serializeEnvelope(bundle.envelope);
  } catch (error) {
    checks.push(fail('entry', errorText(error)));
  }

  let proof: TlogProof | undefined;
  try {
    proof = parseTlogProof(bundle.proof);
    checks.push(pass('proof-format', `a tlog-proof for leaf ${proof.index}`));
  } catch (error) {
    checks.push(fail('proof-format', errorText(error)));
  }

  let checkpoint: Checkpoint | undefined;
  if (proof !== undefined) {
    const judged = judgeCheckpoint(proof.checkpoint, trust);
    checks.push(...judged.checks);
    checkpoint = judged.checkpoint;
  }
  if (proof !== undefined && bundle.index !== undefined) {
    checks.push(
      bundle.index === proof.index
        ? pass('index', `the bundle's index ${bundle.index} is the proof's`)
        : fail(
            'index',
            `the bundle says log index ${bundle.index}, but its proof is for leaf ${proof.index}`,
          ),
    );
  }
  if (proof !== undefined && checkpoint !== undefined && entry !== undefined) {
    try {
      verifyInclusion(
        leafHash(entry),
        proof.index,
        checkpoint.size,
        proof.proof,
        checkpoint.rootHash,
      );
      checks.push(
        pass(
          'inclusion',
          `the envelope is leaf ${proof.index} of the log's tree of ${checkpoint.size}`,
        ),
      );
    } catch (error) {
      checks.push(
        fail(
          'inclusion',
          `the envelope is not proven to be leaf ${proof.index}: ${errorText(error)}`,
        ),
      );
    }
  }
  return {
    valid: checks.every((c) => c.status !== 'fail'),
    index: proof?.index,
    predicate: statement.predicate,
    checkpoint,
    checks,
  };
}

/**
 * Judges a (cosigned) checkpoint note against the trust file: the log's signature and origin
 * (`log-key`, `checkpoint-signature`) and the witness quorum (`witness-quorum`). Returns the
 * checks and the checkpoint when the log signed it.
 */
export function judgeCheckpoint(
  note: string,
  trust: Trust,
): { checkpoint: Checkpoint | undefined; checks: BundleCheck[] } {
  const checks: BundleCheck[] = [];
  return { checkpoint: checkpointChecks(note, trust, checks), checks };
}

function checkpointChecks(
  note: string,
  trust: Trust,
  checks: BundleCheck[],
): Checkpoint | undefined {
  const log = trust.log;
  if (log === undefined) {
    checks.push(
      fail(
        'log-key',
        'the trust file names no log key (log.key): the checkpoint cannot be checked',
      ),
    );
    return undefined;
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(note, log.key, { witnesses: [], quorum: 0 }).checkpoint;
  } catch (error) {
    checks.push(fail('checkpoint-signature', errorText(error)));
    return undefined;
  }
  if (log.origin !== undefined && checkpoint.origin !== log.origin) {
    checks.push(
      fail(
        'checkpoint-signature',
        `the checkpoint's origin is "${checkpoint.origin}", but the trust file names the log "${log.origin}"`,
      ),
    );
    return undefined;
  }
  checks.push(
    pass(
      'checkpoint-signature',
      `checkpoint of size ${checkpoint.size} signed by the log key ${keyHandle(log.key)}`,
    ),
  );
  const { quorum, keys } = trust.witnesses;
  try {
    const opened = openCheckpoint(note, log.key, { witnesses: keys, quorum });
    checks.push(
      pass(
        'witness-quorum',
        quorum === 0
          ? `no witness quorum required (${opened.cosignatures.length} valid cosignature(s))`
          : `${opened.cosignatures.length} valid witness cosignature(s), quorum ${quorum}`,
      ),
    );
  } catch (error) {
    checks.push(fail('witness-quorum', `witness quorum of ${quorum} not met: ${errorText(error)}`));
  }
  return checkpoint;
}

function pass(id: BundleCheckId, message: string): BundleCheck {
  return { id, status: 'pass', message };
}

function fail(id: BundleCheckId, message: string): BundleCheck {
  return { id, status: 'fail', message };
}

function invalid(where: string, message: string): StatementError {
  return new StatementError('STATEMENT_BUNDLE_INVALID', `evidence bundle: ${where} ${message}`, {
    where,
  });
}
