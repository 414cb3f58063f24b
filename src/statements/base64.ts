/**
 * Strict base64 for DSSE fields. DSSE (envelope.md) says a verifier must accept standard or
 * URL-safe base64 (RFC 4648 §4, §5); nospy accepts either alphabet, but not a mix of the two, no
 * whitespace, padding either complete or absent (RFC 4648 §3.2: text without `-`/`_` may be
 * either alphabet, unpadded), and only the canonical encoding
 * (zero trailing bits), so that one byte string has exactly one accepted spelling per alphabet
 * and nothing can hide in ignored characters.
 */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/** The bytes of `text`, or a reason why it is not strict base64. */
export function decodeStrictBase64(text: string): { bytes: Buffer } | { reason: string } {
  const urlSafe = /[-_]/.test(text);
  if (urlSafe && /[+/]/.test(text)) return { reason: 'mixes standard and URL-safe base64' };
  if (!(urlSafe ? URL_SAFE : STANDARD).test(text)) {
    return { reason: 'has characters outside the base64 alphabet' };
  }
  const unpadded = text.replace(/=+$/, '');
  const padded = text.length !== unpadded.length;
  if (unpadded.length % 4 === 1) return { reason: 'has an impossible length' };
  if (padded && text.length % 4 !== 0) return { reason: 'has wrong padding' };
  const bytes = Buffer.from(unpadded, urlSafe ? 'base64url' : 'base64');
  const again = bytes.toString(urlSafe ? 'base64url' : 'base64').replace(/=+$/, '');
  if (again !== unpadded) return { reason: 'is not canonical (non-zero trailing bits)' };
  return { bytes };
}

/** Standard, padded base64: what nospy writes. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
