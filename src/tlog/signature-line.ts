/**
 * One signature line of a signed note (c2sp.org/signed-note §Signatures):
 *   "— " <key name> " " base64(key ID[4] || signature) "\n"
 * Shared by notes and cosignatures, which both write and read these lines.
 */
import { TlogError } from './errors.js';
import { isValidKeyName } from './note-key.js';

/** U+2014 EM DASH and a space start every signature line. */
export const SIGNATURE_LINE_PREFIX = '\u2014 ';

/** A parsed signature line. `signature` excludes the 4-byte key ID. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Buffer;
  /** The line as it appeared, without its newline. */
  readonly line: string;
}

/** The signature line (with its final newline) for `signature` made by key `name`/`keyId`. */
export function formatSignatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const bytes = Buffer.alloc(4 + signature.length);
  bytes.writeUInt32BE(keyId, 0);
  bytes.set(signature, 4);
  return `${SIGNATURE_LINE_PREFIX}${name} ${bytes.toString('base64')}\n`;
}

/** Parses one signature line (without its newline); `where` names it in errors. */
export function parseSignatureLine(line: string, where: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_LINE_PREFIX)) {
    throw noteError(`${where} does not start with "— " (U+2014 and a space)`, where);
  }
  const rest = line.slice(SIGNATURE_LINE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw noteError(`${where} has no space between key name and signature`, where);
  const name = rest.slice(0, space);
  const encoded = rest.slice(space + 1);
  if (!isValidKeyName(name)) {
    throw noteError(`${where} has an invalid key name (empty, or with a space or "+")`, where);
  }
  const bytes = decodeBase64Strict(encoded);
  if (bytes === undefined)
    throw noteError(`${where}: the signature is not canonical base64`, where);
  // A key ID and at least one signature byte (golang.org/x/mod/sumdb/note).
  if (bytes.length < 5)
    throw noteError(`${where}: the signature is only ${bytes.length} bytes`, where);
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4), line };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Standard base64 (RFC 4648 §4) with padding, rejecting anything Node's lenient decoder would
 * silently accept (whitespace, URL alphabet, missing padding, non-zero trailing bits).
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

function noteError(message: string, where: string): TlogError {
  return new TlogError('TLOG_NOTE_INVALID', `malformed signed note: ${message}`, { where });
}
