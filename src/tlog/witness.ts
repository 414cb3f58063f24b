/**
 * The pure decision of a c2sp.org/tlog-witness (v1.0.0) add-checkpoint request: parse the body,
 * check the log's signature and the consistency proof against the witness's latest state for the
 * origin, and cosign. The caller serves HTTP and must persist `newState` atomically with the
 * size check before replying (the spec's rollback race).
 */
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { cosign } from './cosignature.js';
import { TlogError } from './errors.js';
import { EMPTY_ROOT, HASH_SIZE } from './hash.js';
import { KEY_TYPE_ED25519, type NoteSigner, type NoteVerifier } from './note-key.js';
import { decodeNote, MAX_NOTE_BYTES, openNote, parseNote } from './note.js';
import { sameHash, verifyConsistency } from './proof.js';
import { decodeBase64Strict } from './signature-line.js';
import { NospyError } from '../errors/nospy-error.js';

/** The spec caps a request at 63 proof lines. */
export const MAX_WITNESS_PROOF_LINES = 63;
/** Largest add-checkpoint body worth reading: a checkpoint note plus 63 proof lines. */
export const MAX_ADD_CHECKPOINT_BYTES = MAX_NOTE_BYTES;
/** Content type of a 409 answer carrying the witness's latest size. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Buffer[];
  /** The signed checkpoint note. */
  readonly checkpoint: string;
}

export interface WitnessState {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  /** The signed checkpoint note that was cosigned. */
  readonly note: string;
}

export type WitnessStatus = 200 | 400 | 403 | 404 | 409 | 422;

export interface WitnessDecision {
  readonly status: WitnessStatus;
  readonly body: string;
  readonly contentType: string;
  /** Present only with 200: the state to persist before replying. */
  readonly newState?: WitnessState;
}

export interface AddCheckpointInput {
  /** The raw request body, or an already parsed request. */
  readonly request: string | Uint8Array | AddCheckpointRequest;
  /** Trusted log keys by origin (type 0x01). */
  readonly knownLogs: ReadonlyMap<string, NoteVerifier | readonly NoteVerifier[]>;
  /** Size of the latest checkpoint cosigned for an origin; undefined if none yet. */
  readonly latestSize: (origin: string) => number | undefined;
  /** Root of that checkpoint. */
  readonly latestRoot: (origin: string) => Buffer | undefined;
  /** The witness's cosignature/v1 (0x04) key. */
  readonly witness: NoteSigner;
  /** Current time in unix seconds, the cosignature timestamp. */
  readonly now: number;
}

/** The add-checkpoint request body. */
export function formatAddCheckpointRequest(request: AddCheckpointRequest): string {
  if (!Number.isSafeInteger(request.oldSize) || request.oldSize < 0) {
    throw requestError(`the old size must be an integer from 0 to 2^53-1, not ${request.oldSize}`);
  }
  if (request.proof.length > MAX_WITNESS_PROOF_LINES) {
    throw requestError(
      `a request carries at most ${MAX_WITNESS_PROOF_LINES} proof lines, not ${request.proof.length}`,
    );
  }
  let body = `old ${request.oldSize}\n`;
  for (const hash of request.proof) {
    if (hash.length !== HASH_SIZE)
      throw requestError(`a proof hash is ${HASH_SIZE} bytes, not ${hash.length}`);
    body += `${hash.toString('base64')}\n`;
  }
  return `${body}\n${request.checkpoint}`;
}

/** Canonical decimal (no sign, no leading zeros); length-capped so Number() stays cheap. */
const DECIMAL = /^(?:0|[1-9][0-9]{0,39})$/;

/** Parses an add-checkpoint body strictly; TLOG_WITNESS_REQUEST_INVALID names what is wrong. */
export function parseAddCheckpointRequest(body: string | Uint8Array): AddCheckpointRequest {
  if (body.length > MAX_ADD_CHECKPOINT_BYTES)
    throw requestError(`the body is more than ${MAX_ADD_CHECKPOINT_BYTES} bytes`);
  let text: string;
  try {
    text = typeof body === 'string' ? body : decodeNote(body);
  } catch {
    throw requestError('the body is not UTF-8');
  }
  const split = text.indexOf('\n\n');
  if (split < 0) throw requestError('there is no empty line before the checkpoint');
  const lines = text.slice(0, split).split('\n');
  const first = lines[0] ?? '';
  if (!first.startsWith('old ')) throw requestError('line 1 must be "old <size>"');
  const digits = first.slice('old '.length);
  if (!DECIMAL.test(digits) || !Number.isSafeInteger(Number(digits))) {
    throw requestError(
      `line 1: the old size "${digits.slice(0, 24)}" is not a decimal from 0 to 2^53-1 without leading zeros`,
    );
  }
  const proofLines = lines.slice(1);
  if (proofLines.length > MAX_WITNESS_PROOF_LINES) {
    throw requestError(
      `${proofLines.length} proof lines, at most ${MAX_WITNESS_PROOF_LINES} are allowed`,
    );
  }
  const proof = proofLines.map((line, i) => {
    const hash = decodeBase64Strict(line);
    if (hash?.length !== HASH_SIZE)
      throw requestError(`line ${i + 2} is not a base64 SHA-256 hash`);
    return hash;
  });
  return { oldSize: Number(digits), proof, checkpoint: text.slice(split + 2) };
}

/** Decides an add-checkpoint request, covering every status c2sp.org/tlog-witness names. */
export function decideAddCheckpoint(input: AddCheckpointInput): WitnessDecision {
  let request: AddCheckpointRequest;
  let text: string;
  let checkpoint: Checkpoint;
  try {
    request =
      typeof input.request === 'string' || input.request instanceof Uint8Array
        ? parseAddCheckpointRequest(input.request)
        : input.request;
    text = parseNote(request.checkpoint).text;
    checkpoint = parseCheckpoint(text);
  } catch (error) {
    if (error instanceof TlogError) return answer(400, `${error.message}\n`);
    throw error;
  }
  const { origin, size, rootHash } = checkpoint;
  const known = input.knownLogs.get(origin);
  if (known === undefined) return answer(404, `unknown log origin "${origin}"\n`);
  const logKeys = (Array.isArray(known) ? known : [known]) as readonly NoteVerifier[];
  try {
    const opened = openNote(
      request.checkpoint,
      logKeys.filter((key) => key.type === KEY_TYPE_ED25519),
    );
    if (opened.verified.length === 0)
      throw new TlogError('TLOG_SIGNATURE_INVALID', 'no trusted log signature');
  } catch (error) {
    if (error instanceof TlogError)
      return answer(403, `no valid signature by a trusted key for "${origin}": ${error.message}\n`);
    throw error;
  }
  const old = request.oldSize;
  if (old > size)
    return answer(400, `old size ${old} is larger than the checkpoint size ${size}\n`);
  const latest = input.latestSize(origin) ?? 0;
  if (old !== latest)
    return { status: 409, body: `${latest}\n`, contentType: TLOG_SIZE_CONTENT_TYPE };
  if (size === 0 && !sameHash(rootHash, EMPTY_ROOT)) {
    return answer(422, 'a checkpoint of size 0 must have the root SHA-256("")\n');
  }
  if (old === 0) {
    if (request.proof.length > 0)
      return answer(422, 'the proof must be empty when the old size is 0\n');
  } else {
    const latestRoot = input.latestRoot(origin);
    if (latestRoot === undefined) {
      throw new NospyError(
        'INTERNAL',
        `witness state for "${origin}" has size ${latest} but no root`,
      );
    }
    try {
      verifyConsistency(old, size, request.proof, latestRoot, rootHash);
    } catch (error) {
      if (error instanceof TlogError) return answer(422, `${error.message}\n`);
      throw error;
    }
  }
  return {
    status: 200,
    body: cosign(text, input.witness, input.now),
    contentType: 'text/plain; charset=utf-8',
    newState: { origin, size, rootHash, note: request.checkpoint },
  };
}

function answer(status: Exclude<WitnessStatus, 200>, body: string): WitnessDecision {
  return { status, body, contentType: 'text/plain; charset=utf-8' };
}

function requestError(message: string): TlogError {
  return new TlogError(
    'TLOG_WITNESS_REQUEST_INVALID',
    `invalid add-checkpoint request: ${message}`,
  );
}
