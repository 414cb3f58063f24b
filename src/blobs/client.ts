/**
 * A client for a nospy server's blob store (`PUT`/`GET /v1/blobs/sha256:<hex>`, docs/api.md):
 * uploads signed as a party of the trust file (a vendor's SBOM and MUD files) or with an
 * operator's bearer token, and downloads checked against the digest they were asked by, so a
 * server can never hand back other bytes than the ones named.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NoteSigner } from '../tlog/note-key.js';
import { BLOB_SIGNATURE_HEADER, signBlobUpload } from './upload-signature.js';
import { BlobError } from './errors.js';
import { parseBlobDigest } from './blob-store-port.js';

const TIMEOUT_MS = 60_000;
/** The server's default bound on a blob (64 MiB); a larger answer is not a blob it stores. */
const MAX_BLOB_BYTES = 64 * 1024 * 1024;

/** Who uploads: a party's key (its signature over the digest) or an operator's bearer token. */
export type BlobUploader = { readonly signer: NoteSigner } | { readonly token: string };

export interface PutBlobResult {
  readonly digest: string;
  /** False when the server already held it (200): uploads are idempotent. */
  readonly created: boolean;
}

export class BlobClient {
  readonly #base: string;

  constructor(baseUrl: string) {
    this.#base = baseUrl.replace(/\/+$/, '');
  }

  /** PUTs `bytes` under their sha256; BLOB_SERVER_FAILED with the server's answer otherwise. */
  async put(bytes: Uint8Array, uploader: BlobUploader): Promise<PutBlobResult> {
    const hex = createHash('sha256').update(bytes).digest('hex');
    const url = this.#url(hex);
    const auth =
      'signer' in uploader
        ? { [BLOB_SIGNATURE_HEADER]: signBlobUpload(uploader.signer, hex) }
        : { authorization: `Bearer ${uploader.token}` };
    const response = await this.#fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...auth },
      body: bytes,
    });
    if (response.status !== 201 && response.status !== 200) {
      throw await failure(url, response);
    }
    await response.body?.cancel();
    return { digest: `sha256:${hex}`, created: response.status === 201 };
  }

  /** The blob named `digest` (`sha256:<hex>`), checked to hash to it. */
  async get(digest: string): Promise<Buffer> {
    const hex = parseBlobDigest(digest);
    const url = this.#url(hex);
    const response = await this.#fetch(url, {});
    if (response.status === 404) {
      await response.body?.cancel();
      throw new BlobError('BLOB_NOT_FOUND', `${url}: the server holds no blob ${digest}`, {
        where: url,
      });
    }
    if (!response.ok) throw await failure(url, response);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_BLOB_BYTES) {
      throw new BlobError('BLOB_TOO_LARGE', `${url}: answered more than ${MAX_BLOB_BYTES} bytes`);
    }
    const got = createHash('sha256').update(bytes).digest();
    // Never trust the server: the bytes must be the ones the digest names.
    if (!timingSafeEqual(got, Buffer.from(hex, 'hex'))) {
      throw new BlobError(
        'BLOB_DIGEST_MISMATCH',
        `${url}: the server answered bytes whose digest is sha256:${got.toString('hex')}`,
        { where: url },
      );
    }
    return bytes;
  }

  #url(hex: string): string {
    return `${this.#base}/v1/blobs/sha256:${hex}`;
  }

  async #fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new BlobError('BLOB_SERVER_FAILED', `${url}: ${(error as Error).message}`, {
        where: url,
        cause: error,
      });
    }
  }
}

async function failure(url: string, response: Response): Promise<BlobError> {
  const text = (await response.text()).slice(0, 2000);
  let code = 'HTTP';
  let message = text;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // Not the API's error shape: the text as it came.
  }
  return new BlobError(
    code === 'BLOB_UNAUTHORIZED' ? 'BLOB_UNAUTHORIZED' : 'BLOB_SERVER_FAILED',
    `${url}: HTTP ${response.status} ${code}: ${message}`,
    { where: url },
  );
}
