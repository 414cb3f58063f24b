/**
 * Signed notes (c2sp.org/signed-note v1.0.0; golang.org/x/mod/sumdb/note): a UTF-8 text ending in
 * a newline, an empty line, then one or more signature lines. Parsing is strict, because a note
 * is attacker-controlled until its signature verified.
 */
import { TlogError } from './errors.js';
import { verifyCosignature } from './cosignature.js';
import {
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  keyHandle,
  type NoteSigner,
  type NoteVerifier,
} from './note-key.js';
import { formatSignatureLine, parseSignatureLine, type NoteSignature } from './signature-line.js';

export { formatSignatureLine, type NoteSignature } from './signature-line.js';

/** Largest note accepted, in UTF-8 bytes: far above any checkpoint, small enough to parse fast. */
export const MAX_NOTE_BYTES = 1 << 20;
/** golang.org/x/mod/sumdb/note stops at 100 signatures; C2SP asks verifiers to accept at least 16. */
export const MAX_NOTE_SIGNATURES = 100;

export interface ParsedNote {
  /** The signed text, including its final newline. */
  readonly text: string;
  readonly signatures: NoteSignature[];
}

export interface OpenedNote extends ParsedNote {
  /** Known type 0x01 keys whose signature verified. */
  readonly verified: NoteVerifier[];
  /** Known cosignature/v1 (0x04) keys whose cosignature verified, with the time they carry. */
  readonly cosignatures: { readonly witness: NoteVerifier; readonly timestamp: number }[];
  /** Signatures by keys not among the verifiers (ignored, as the spec requires). */
  readonly unknown: NoteSignature[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// ASCII control characters other than newline, and lone UTF-16 surrogates (not encodable as UTF-8).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f]|\p{Cs}/u;

/** Decodes note bytes as strict UTF-8 (no replacement characters), bounded in size. */
export function decodeNote(bytes: Uint8Array): string {
  if (bytes.length > MAX_NOTE_BYTES) {
    throw noteError(`the note is ${bytes.length} bytes, more than the ${MAX_NOTE_BYTES} accepted`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw noteError('the note is not valid UTF-8');
  }
}

/** Checks that `text` can be the signed text of a note, throwing TLOG_NOTE_INVALID if not. */
export function checkNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n'))
    throw noteError('the text must end with a newline');
  if (Buffer.byteLength(text, 'utf8') > MAX_NOTE_BYTES) {
    throw noteError(`the text is more than the ${MAX_NOTE_BYTES} bytes accepted`);
  }
  const bad = FORBIDDEN.exec(text);
  if (bad !== null) {
    throw noteError(
      `the text contains a control character or lone surrogate U+${(bad[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0')} at offset ${bad.index}`,
    );
  }
}

/** Splits a note into text and signature lines (at the last empty line) without verifying. */
export function parseNote(note: string | Uint8Array): ParsedNote {
  const whole = typeof note === 'string' ? note : decodeNote(note);
  if (typeof note === 'string' && whole.length > MAX_NOTE_BYTES) {
    throw noteError(`the note is more than the ${MAX_NOTE_BYTES} bytes accepted`);
  }
  if (!whole.endsWith('\n')) throw noteError('the note must end with a newline');
  const split = whole.lastIndexOf('\n\n');
  if (split < 0) throw noteError('the note has no empty line before its signatures');
  const text = whole.slice(0, split + 1);
  checkNoteText(text);
  const block = whole.slice(split + 2);
  if (block.length === 0) throw noteError('the note has no signatures');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw noteError(
      `the note has ${lines.length} signatures, at most ${MAX_NOTE_SIGNATURES} are accepted`,
    );
  }
  const signatures = lines.map((line, i) => {
    if (FORBIDDEN.test(line))
      throw noteError(`signature line ${i + 1} contains a control character`);
    return parseSignatureLine(line, `signature line ${i + 1}`);
  });
  return { text, signatures };
}

/**
 * Signs `text` with each type 0x01 signer and returns the signed note. Cosignatures need a
 * timestamp: make those with `cosign` and append the line.
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkNoteText(text);
  if (signers.length === 0) throw noteError('a note needs at least one signer');
  const message = Buffer.from(text, 'utf8');
  let note = `${text}\n`;
  for (const signer of signers) {
    if (signer.type !== KEY_TYPE_ED25519) {
      throw new TlogError(
        'TLOG_KEY_INVALID',
        `key ${keyHandle(signer)} is not a note signing key (type 0x01); cosign with it instead`,
        { where: signer.name },
      );
    }
    note += formatSignatureLine(signer.name, signer.keyId, signer.sign(message));
  }
  return note;
}

/**
 * Parses a note and verifies its signatures by the given keys. Signatures by unknown keys are
 * ignored; a known key whose signature does not verify rejects the note; so does a note with no
 * verified signature at all (c2sp.org/signed-note §Verification). Type 0x04 keys are checked as
 * cosignature/v1 signatures over their own message.
 */
export function openNote(
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
): OpenedNote {
  const parsed = parseNote(note);
  const message = Buffer.from(parsed.text, 'utf8');
  const verified: NoteVerifier[] = [];
  const cosignatures: { witness: NoteVerifier; timestamp: number }[] = [];
  const unknown: NoteSignature[] = [];
  for (const signature of parsed.signatures) {
    const key = verifiers.find((v) => v.name === signature.name && v.keyId === signature.keyId);
    if (key === undefined) {
      unknown.push(signature);
      continue;
    }
    if (key.type === KEY_TYPE_COSIGNATURE_V1) {
      const timestamp = verifyCosignature(parsed.text, key, signature.signature);
      if (!cosignatures.some((c) => c.witness === key))
        cosignatures.push({ witness: key, timestamp });
      continue;
    }
    if (!key.verify(message, signature.signature)) {
      throw new TlogError(
        'TLOG_SIGNATURE_INVALID',
        `the signature by ${keyHandle(key)} does not verify over the note text`,
        { where: key.name },
      );
    }
    if (!verified.includes(key)) verified.push(key);
  }
  if (verified.length === 0 && cosignatures.length === 0) {
    const names = parsed.signatures.map((s) => keyHandle(s)).join(', ');
    throw new TlogError(
      'TLOG_SIGNATURE_INVALID',
      `the note has no signature by a known key (signed by: ${names})`,
    );
  }
  return { ...parsed, verified, cosignatures, unknown };
}

function noteError(message: string): TlogError {
  return new TlogError('TLOG_NOTE_INVALID', `malformed signed note: ${message}`);
}
