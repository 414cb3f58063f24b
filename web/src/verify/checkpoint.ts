/**
 * A signed checkpoint (c2sp.org/tlog-checkpoint in a c2sp.org/signed-note): the body (origin,
 * decimal size, base64 root hash, optional extension lines), an empty line, then signature lines
 * `— <key name> base64(key ID[4] ‖ signature)`. Every byte comes from the server under test.
 */
import { decodeBase64Strict } from './bytes.js';

/** Largest note read (as the server's note parser): a checkpoint with many cosignatures. */
const MAX_NOTE_BYTES = 1_000_000;
/** More signature lines than this is an attack on the verifier's time, not a checkpoint. */
const MAX_SIGNATURE_LINES = 100;

export interface SignatureLine {
  readonly name: string;
  readonly keyId: number;
  /** The signature bytes after the key ID. */
  readonly bytes: Uint8Array;
}

export interface SignedCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** The signed text: the note body up to and including its last newline. */
  readonly text: string;
  readonly signatures: readonly SignatureLine[];
}

export function parseSignedCheckpoint(note: string): SignedCheckpoint {
  if (note.length > MAX_NOTE_BYTES) throw new Error('the checkpoint is larger than 1 MB');
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint has no empty line before its signatures');
  const text = note.slice(0, split + 1);
  const [origin, sizeText, rootText] = text.split('\n');
  if (origin === undefined || sizeText === undefined || rootText === undefined || origin === '') {
    throw new Error('the checkpoint body has fewer than three lines');
  }
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new Error(`the checkpoint size "${sizeText.slice(0, 24)}" is not a number`);
  }
  const root = decodeBase64Strict(rootText);
  if (root?.length !== 32) throw new Error('the checkpoint root is not a base64 SHA-256 hash');
  const lines = note.slice(split + 2).split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length > MAX_SIGNATURE_LINES) {
    throw new Error(`the checkpoint has more than ${String(MAX_SIGNATURE_LINES)} signature lines`);
  }
  const signatures = lines.map((line, i) => parseSignatureLine(line, i + 1));
  return { origin, size: Number(sizeText), root, text, signatures };
}

function parseSignatureLine(line: string, n: number): SignatureLine {
  const where = `signature line ${String(n)}`;
  if (!line.startsWith('\u2014 ')) throw new Error(`${where} does not start with "— "`);
  const [name, encoded, extra] = line.slice(2).split(' ');
  if (name === undefined || name === '' || encoded === undefined || extra !== undefined) {
    throw new Error(`${where} is not "— <key name> <base64 signature>"`);
  }
  const bytes = decodeBase64Strict(encoded);
  if (bytes === undefined || bytes.length < 5) {
    throw new Error(`${where} (${name}) does not hold a base64 key ID and signature`);
  }
  const keyId = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  return { name, keyId, bytes: bytes.slice(4) };
}
