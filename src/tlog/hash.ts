/**
 * RFC 6962 §2.1 (restated in RFC 9162 §2.1.1) Merkle tree hashing with SHA-256:
 *   leaf  = SHA-256(0x00 || entry)
 *   node  = SHA-256(0x01 || left || right)
 *   empty = SHA-256("")
 * These run once per entry and once per tree node, so they avoid per-call allocation beyond the
 * digest itself: inputs are copied into a reusable scratch buffer and hashed one-shot. The
 * digest is taken as a binary (latin1) string and copied into a pooled Buffer: on Node 20 that is about
 * three times cheaper than asking for a Buffer, which gets its own ArrayBuffer (and GC work).
 */
import { createHash, hash } from 'node:crypto';

/** Length of every tree hash in bytes. */
export const HASH_SIZE = 32;

/** The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = hash('sha256', Buffer.alloc(0), 'buffer');

const LEAF_PREFIX = Buffer.from([0x00]);
/** Entries up to this size are hashed through the scratch buffer; larger ones are streamed. */
const SCRATCH_ENTRY_BYTES = 4096;
const leafScratch = Buffer.alloc(1 + SCRATCH_ENTRY_BYTES);
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeScratch[0] = 0x01;

function digestBuffer(input: Uint8Array): Buffer {
  return Buffer.from(hash('sha256', input, 'binary'), 'binary');
}

/** The RFC 6962 leaf hash of one log entry: SHA-256(0x00 || entry). */
export function leafHash(entry: Uint8Array): Buffer {
  if (entry.length > SCRATCH_ENTRY_BYTES) {
    return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
  }
  leafScratch.set(entry, 1);
  return digestBuffer(leafScratch.subarray(0, 1 + entry.length));
}

/**
 * {@link leafHash} as a latin1 string of its 32 bytes: what a verifier compares with a tile
 * decoded once as latin1, with no Buffer made per entry (the audit of a whole log does this
 * millions of times).
 */
export function leafHashLatin1(entry: Uint8Array): string {
  if (entry.length > SCRATCH_ENTRY_BYTES) {
    return createHash('sha256').update(LEAF_PREFIX).update(entry).digest('binary');
  }
  leafScratch.set(entry, 1);
  return hash('sha256', leafScratch.subarray(0, 1 + entry.length), 'binary');
}

/**
 * The RFC 6962 interior node hash: SHA-256(0x01 || left || right). Children are normally 32-byte
 * hashes; other lengths are hashed as given (the RFC 6962 test vectors use raw strings).
 */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    return createHash('sha256')
      .update(nodeScratch.subarray(0, 1))
      .update(left)
      .update(right)
      .digest();
  }
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return digestBuffer(nodeScratch);
}
