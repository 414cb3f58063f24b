/**
 * The signature a blob's uploader (a vendor, an evaluator) sends with `PUT /v1/blobs/sha256:<hex>`:
 * a signed-note signature (c2sp.org/signed-note) over the blob's digest, made by the client and
 * checked by the server (`src/server/auth/blob-writer.ts`).
 */
import type { NoteSigner } from '../tlog/note-key.js';

/** The header carrying a vendor's signature: `<key name> <base64(key id ‖ Ed25519 signature)>`. */
export const BLOB_SIGNATURE_HEADER = 'nospy-blob-signature';

/** The signed-note text a vendor signs to upload `sha256:<hex>` (c2sp.org/signed-note). */
export function blobSignatureText(hex: string): string {
  return `nospy.dev/blob/v1\nsha256:${hex}\n`;
}

/** The header value a vendor sends with `PUT /v1/blobs/sha256:<hex>`. */
export function signBlobUpload(signer: NoteSigner, hex: string): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(signer.keyId);
  const signature = signer.sign(Buffer.from(blobSignatureText(hex), 'utf8'));
  return `${signer.name} ${Buffer.concat([id, signature]).toString('base64')}`;
}
