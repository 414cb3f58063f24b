/**
 * Who may write a blob: the operator, with the bearer token that `POST /add` takes, or a vendor
 * or evaluator of the trust file, with a signed-note signature over the blob's digest. A vendor
 * (its SBOMs, MUD files, images) or an evaluator (its diff reports) thus uploads only content it
 * vouches for (the store then checks the bytes against the digest), the same way it
 * authenticates a statement: by its key, not a shared secret.
 */
import { keyHandle, KEY_TYPE_ED25519 } from '../../tlog/note-key.js';
import { BLOB_SIGNATURE_HEADER, blobSignatureText } from '../../blobs/upload-signature.js';
import type { Trust } from '../../statements/trust.js';
import { bearerToken, sameToken } from './bearer.js';
import type { AccessTokens } from './access-tokens.js';
import { grants } from './scopes.js';

export { BLOB_SIGNATURE_HEADER } from '../../blobs/upload-signature.js';

export interface BlobWriters {
  /** The operator's bearer token (the submit token of `POST /add`). */
  readonly token?: string | undefined;
  /** The server's tokens: one with the `submit` scope writes as the operator. */
  readonly tokens?: AccessTokens | undefined;
  /** Vendors and evaluators of the trust file may upload with a signature. */
  readonly trust?: Trust | undefined;
}

/** Who wrote a blob, for the log line. */
export type BlobWriter =
  | { readonly kind: 'operator'; readonly token: string }
  | { readonly kind: 'vendor' | 'evaluator'; readonly key: string };

/** The roles whose parties may upload blobs with a signature. */
const SIGNING_WRITERS = ['vendor', 'evaluator'] as const;

// A key name has no spaces or '+'; the signature is 4 + 64 bytes: 91 base64 characters and '='.
const SIGNATURE = /^([^\s+]{1,256}) ([A-Za-z0-9+/]{91}=)$/;

/**
 * The writer the request's headers authenticate for blob `hex`, or a reason it is refused.
 * The operator's token is compared in constant time (`sameToken`).
 */
export function authenticateBlobWriter(
  writers: BlobWriters,
  hex: string,
  headers: { readonly authorization?: string | undefined; readonly signature?: string | undefined },
): BlobWriter | { readonly refused: string } {
  const bearer = bearerToken(headers.authorization);
  if (bearer !== undefined && (writers.token !== undefined || writers.tokens !== undefined)) {
    if (writers.token !== undefined && sameToken(bearer, writers.token))
      return { kind: 'operator', token: 'submit-token' };
    const holder = writers.tokens?.holderOf(bearer);
    if (holder !== undefined && grants(holder.scopes, 'submit'))
      return { kind: 'operator', token: holder.name };
    return {
      refused: 'the bearer token is not the operator token nor a token with the scope submit',
    };
  }
  if (headers.signature !== undefined) {
    const match = SIGNATURE.exec(headers.signature);
    if (match?.[1] === undefined || match[2] === undefined)
      return { refused: `${BLOB_SIGNATURE_HEADER} is not "<key name> <base64 signature>"` };
    const raw = Buffer.from(match[2], 'base64');
    const keyId = raw.readUInt32BE(0);
    const found = (writers.trust?.parties ?? [])
      .filter((p) => (SIGNING_WRITERS as readonly string[]).includes(p.role))
      .flatMap((p) =>
        p.keys.map((k) => ({ key: k, role: p.role as (typeof SIGNING_WRITERS)[number] })),
      )
      .find(
        ({ key: k }) => k.name === match[1] && k.keyId === keyId && k.type === KEY_TYPE_ED25519,
      );
    if (found === undefined)
      return {
        refused: `no vendor or evaluator key ${match[1]} with that key id in the trust file`,
      };
    const { key, role } = found;
    if (!key.verify(Buffer.from(blobSignatureText(hex), 'utf8'), raw.subarray(4)))
      return { refused: `the signature by ${keyHandle(key)} does not verify over sha256:${hex}` };
    return { kind: role, key: keyHandle(key) };
  }
  return {
    refused:
      'PUT /v1/blobs needs "Authorization: Bearer <operator token>" or a vendor or evaluator signature in ' +
      BLOB_SIGNATURE_HEADER,
  };
}
