/**
 * The operator's bearer tokens (`POST /add`, `POST /v1/statements`, `PUT /v1/blobs`): reading one
 * from an Authorization header, and comparing it with the expected token without leaking either
 * through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

// RFC 9110 §11.4 (was RFC 7235 §2.1): `credentials = auth-scheme [ 1*SP token68 ]`, and by
// §11.1 the scheme is a case-insensitive token ("bearer" and "BEARER" name it too). The token itself is
// any run of visible ASCII: wider than RFC 6750's b64token, so any operator token works.
const BEARER = /^bearer +([\x21-\x7e]+)$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined for any other header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return BEARER.exec(authorization ?? '')?.[1];
}

/**
 * Whether `given` is the expected token. Both are compared as SHA-256 digests in constant time,
 * so neither their contents nor their lengths leak through timing.
 */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
