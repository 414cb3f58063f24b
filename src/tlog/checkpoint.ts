/**
 * Checkpoints (c2sp.org/tlog-checkpoint v1.0.0): the note text
 *   <origin>\n<tree size in decimal>\n<base64 root hash>\n[<extension line>\n]*
 * signed by the log's Ed25519 note key (type 0x01, key name = origin) and optionally cosigned by
 * witnesses (cosignature/v1). Parsing is strict: canonical decimal size, a 32-byte root, no empty
 * lines.
 */
import { TlogError } from './errors.js';
import { HASH_SIZE } from './hash.js';
import {
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  keyHandle,
  type NoteSigner,
  type NoteVerifier,
} from './note-key.js';
import { checkNoteText, decodeNote, openNote, signNote } from './note.js';
import { decodeBase64Strict } from './signature-line.js';

export interface Checkpoint {
  readonly origin: string;
  /** Tree size, exact up to 2^53 - 1. */
  readonly size: number;
  readonly rootHash: Buffer;
  /** Optional lines after the root (NOT RECOMMENDED by the spec; kept so signatures verify). */
  readonly extensions: string[];
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The signed note as given. */
  readonly note: string;
  /** The note text (what the log signed). */
  readonly text: string;
  /** Valid cosignatures by the configured witnesses, one per witness. */
  readonly cosignatures: { readonly witness: NoteVerifier; readonly timestamp: number }[];
}

/** Canonical decimal (no sign, no leading zeros); length-capped so Number() stays cheap. */
const DECIMAL = /^(?:0|[1-9][0-9]{0,39})$/;

/** The checkpoint note text. */
export function formatCheckpoint(cp: Checkpoint): string {
  if (cp.origin.length === 0 || cp.origin.includes('\n')) {
    throw checkpointError('the origin must be one non-empty line');
  }
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) {
    throw checkpointError(`the tree size must be an integer from 0 to 2^53-1, not ${cp.size}`);
  }
  if (cp.rootHash.length !== HASH_SIZE) {
    throw checkpointError(`the root hash is ${cp.rootHash.length} bytes, not ${HASH_SIZE}`);
  }
  for (const line of cp.extensions) {
    if (line.length === 0 || line.includes('\n'))
      throw checkpointError('an extension is one non-empty line');
  }
  const text =
    [cp.origin, String(cp.size), cp.rootHash.toString('base64'), ...cp.extensions].join('\n') +
    '\n';
  checkNoteText(text);
  return text;
}

/** Parses checkpoint note text strictly (TLOG_CHECKPOINT_INVALID naming the line at fault). */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw checkpointError('the text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === undefined || sizeLine === undefined || rootLine === undefined) {
    throw checkpointError(`a checkpoint has at least 3 lines, this one ${lines.length}`);
  }
  if (origin.length === 0) throw checkpointError('line 1: the origin is empty');
  if (!DECIMAL.test(sizeLine)) {
    throw checkpointError(
      `line 2: the tree size "${clip(sizeLine)}" is not a decimal without leading zeros`,
    );
  }
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size))
    throw checkpointError(`line 2: the tree size ${sizeLine} is above 2^53-1`);
  const rootHash = decodeBase64Strict(rootLine);
  if (rootHash === undefined)
    throw checkpointError(`line 3: the root hash "${clip(rootLine)}" is not base64`);
  if (rootHash.length !== HASH_SIZE) {
    throw checkpointError(`line 3: the root hash is ${rootHash.length} bytes, not ${HASH_SIZE}`);
  }
  extensions.forEach((line, i) => {
    if (line.length === 0)
      throw checkpointError(`line ${i + 4}: extension lines must not be empty`);
  });
  checkNoteText(text);
  return { origin, size, rootHash, extensions };
}

/** Signs a checkpoint with the log key, whose name must be the origin. Returns the signed note. */
export function signCheckpoint(cp: Checkpoint, logSigner: NoteSigner): string {
  if (logSigner.name !== cp.origin) {
    throw checkpointError(
      `the log key is named "${logSigner.name}" but the origin is "${cp.origin}"`,
    );
  }
  return signNote(formatCheckpoint(cp), [logSigner]);
}

/**
 * Verifies a signed (and possibly cosigned) checkpoint: the log's Ed25519 signature (key name =
 * origin), then at least `quorum` distinct witness cosignatures (default: all given witnesses).
 * Throws TLOG_NOTE_INVALID / TLOG_CHECKPOINT_INVALID for malformed input, TLOG_SIGNATURE_INVALID
 * for a missing or bad signature, TLOG_QUORUM_NOT_MET when too few witnesses cosigned.
 */
export function openCheckpoint(
  signedNote: string | Uint8Array,
  logVerifier: NoteVerifier,
  opts: { readonly witnesses?: readonly NoteVerifier[]; readonly quorum?: number } = {},
): OpenedCheckpoint {
  // The same witness listed twice must not count twice, nor make a quorum unreachable.
  const witnesses = (opts.witnesses ?? []).filter(
    (w, i, all) => all.findIndex((other) => other.vkey === w.vkey) === i,
  );
  const quorum = opts.quorum ?? witnesses.length;
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > witnesses.length) {
    throw new TlogError(
      'TLOG_QUORUM_NOT_MET',
      `a quorum of ${quorum} cannot be met by ${witnesses.length} configured witnesses`,
    );
  }
  if (logVerifier.type !== KEY_TYPE_ED25519) {
    throw new TlogError(
      'TLOG_KEY_INVALID',
      `log key ${keyHandle(logVerifier)} is not an Ed25519 (0x01) note key`,
    );
  }
  for (const witness of witnesses) {
    if (witness.type !== KEY_TYPE_COSIGNATURE_V1) {
      throw new TlogError(
        'TLOG_KEY_INVALID',
        `witness key ${keyHandle(witness)} is not a cosignature/v1 (0x04) key`,
      );
    }
  }
  const note = typeof signedNote === 'string' ? signedNote : decodeNote(signedNote);
  const opened = openNote(note, [logVerifier, ...witnesses]);
  if (!opened.verified.includes(logVerifier)) {
    throw new TlogError(
      'TLOG_SIGNATURE_INVALID',
      `the checkpoint has no signature by the log key ${keyHandle(logVerifier)}`,
    );
  }
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== logVerifier.name) {
    throw checkpointError(
      `the origin "${checkpoint.origin}" is not the log key's name "${logVerifier.name}"`,
    );
  }
  if (opened.cosignatures.length < quorum) {
    throw new TlogError(
      'TLOG_QUORUM_NOT_MET',
      `the checkpoint has ${opened.cosignatures.length} valid witness cosignature(s), ${quorum} needed`,
    );
  }
  return { checkpoint, note, text: opened.text, cosignatures: opened.cosignatures };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function checkpointError(message: string): TlogError {
  return new TlogError('TLOG_CHECKPOINT_INVALID', `invalid checkpoint: ${message}`);
}
