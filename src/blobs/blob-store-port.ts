/**
 * The content-addressed blob store port: documents too large for a log entry (SBOMs, MUD files,
 * image metadata), named by their sha256. Statements name blobs by digest, so a blob is
 * immutable and a write is idempotent. The file-system adapter is `FsBlobStore` (fs-blob-store.ts),
 * the database one `PostgresBlobStore` (postgres-blob-store.ts).
 */
import type { Readable } from 'node:stream';
import { BlobError } from './errors.js';

/** Default largest blob: an SBOM of a full firmware image is a few MiB; 64 MiB leaves room. */
export const DEFAULT_MAX_BLOB_BYTES = 64 * 1024 * 1024;

export interface BlobPutResult {
  /** False when the store already held this blob (an idempotent repeat). */
  readonly created: boolean;
  readonly size: number;
}

export interface StoredBlob {
  readonly size: number;
  readonly stream: Readable;
}

/** The blob store's port: what any blob store adapter implements. */
export interface BlobStorePort {
  /**
   * Stores `body` under `sha256Hex` after hashing it: BLOB_DIGEST_MISMATCH when the content has
   * another digest, BLOB_TOO_LARGE beyond the store's bound. Nothing is visible until the whole
   * blob is written, checked and durable.
   */
  put(sha256Hex: string, body: AsyncIterable<Uint8Array> | Uint8Array): Promise<BlobPutResult>;
  /** The blob, or undefined when the store does not hold it. */
  get(sha256Hex: string): Promise<StoredBlob | undefined>;
  has(sha256Hex: string): Promise<boolean>;
  /** The hex digest of every blob held, in no set order (`nospy store copy` walks them). */
  digests(): AsyncIterable<string>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** `sha256:<64 lowercase hex>` → the hex; anything else is BLOB_DIGEST_INVALID. */
export function parseBlobDigest(text: string): string {
  if (!text.startsWith('sha256:') || !SHA256_HEX.test(text.slice(7))) {
    throw new BlobError(
      'BLOB_DIGEST_INVALID',
      `blob digest "${text.slice(0, 80)}" is not sha256:<64 lowercase hex digits>`,
      { where: 'digest' },
    );
  }
  return text.slice(7);
}

export function assertSha256Hex(hex: string): void {
  if (!SHA256_HEX.test(hex)) {
    throw new BlobError(
      'BLOB_DIGEST_INVALID',
      `"${hex.slice(0, 80)}" is not 64 lowercase hex digits`,
      {
        where: 'digest',
      },
    );
  }
}
