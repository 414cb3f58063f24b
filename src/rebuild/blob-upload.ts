/**
 * Uploads a blob to a nospy server's store (`PUT /v1/blobs/sha256:<hex>`) signed with the
 * uploader's key (an evaluator uploading its diff report; docs/api.md): 201 stored, 200 already
 * held; anything else is REBUILD_BLOB_UPLOAD_FAILED with the server's answer.
 */
import { createHash } from 'node:crypto';
import { BLOB_SIGNATURE_HEADER, signBlobUpload } from '../blobs/upload-signature.js';
import type { NoteSigner } from '../tlog/note-key.js';
import { RebuildError } from './errors.js';

const TIMEOUT_MS = 60_000;

/** PUTs `bytes` under their digest; returns the digest (hex). */
export async function uploadBlob(
  server: string,
  signer: NoteSigner,
  bytes: Buffer,
): Promise<string> {
  const hex = createHash('sha256').update(bytes).digest('hex');
  const url = `${server.replace(/\/+$/, '')}/v1/blobs/sha256:${hex}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        [BLOB_SIGNATURE_HEADER]: signBlobUpload(signer, hex),
      },
      body: bytes,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new RebuildError('REBUILD_BLOB_UPLOAD_FAILED', `${url}: ${(error as Error).message}`, {
      where: url,
      cause: error,
    });
  }
  const text = (await response.text()).slice(0, 2000);
  if (response.status !== 201 && response.status !== 200) {
    throw new RebuildError(
      'REBUILD_BLOB_UPLOAD_FAILED',
      `${url}: HTTP ${response.status}: ${text}`,
      { where: url },
    );
  }
  return hex;
}
