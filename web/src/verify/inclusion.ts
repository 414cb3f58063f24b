/**
 * An entry's inclusion in a checkpoint: parse a c2sp.org/tlog-proof@v1, find the entry in its
 * c2sp.org/tlog-tiles data tile, hash it (RFC 6962 §2.1) and recompute the root from the proof
 * (RFC 9162 §2.1.3.2).
 */
import { decodeBase64Strict, sha256 } from './bytes.js';

/** A tree of 2^63 leaves needs 63 hashes; anything longer is not a proof. */
const MAX_PROOF_HASHES = 63;

export interface ParsedProof {
  readonly index: number;
  readonly hashes: readonly Uint8Array[];
  /** The signed checkpoint note the proof leads to. */
  readonly checkpoint: string;
}

/** c2sp.org/tlog-proof@v1: header, optional extra, `index <n>`, hashes, empty line, checkpoint. */
export function parseProof(text: string): ParsedProof {
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error('the proof has no empty line before the checkpoint');
  const lines = text.slice(0, split).split('\n');
  if (lines[0] !== 'c2sp.org/tlog-proof@v1') {
    throw new Error('line 1 of the proof is not c2sp.org/tlog-proof@v1');
  }
  let at = 1;
  if (lines[at]?.startsWith('extra ') === true) at += 1;
  const match = /^index (0|[1-9][0-9]{0,15})$/.exec(lines[at] ?? '');
  if (match?.[1] === undefined)
    throw new Error(`line ${String(at + 1)} of the proof is not "index <n>"`);
  const hashLines = lines.slice(at + 1);
  if (hashLines.length > MAX_PROOF_HASHES) throw new Error('the proof has more than 63 hashes');
  const hashes = hashLines.map((line, i) => {
    const hash = decodeBase64Strict(line);
    if (hash?.length !== 32) {
      throw new Error(`line ${String(at + i + 2)} of the proof is not a base64 SHA-256 hash`);
    }
    return hash;
  });
  return { index: Number(match[1]), hashes, checkpoint: text.slice(split + 2) };
}

/** The path of the data tile holding entry `index` in a tree of `size` (c2sp.org/tlog-tiles). */
export function entryTilePath(index: number, size: number): string {
  const n = Math.floor(index / 256);
  const width = Math.min(256, size - n * 256);
  let digits = String(n);
  while (digits.length % 3 !== 0) digits = `0${digits}`;
  const groups = digits.match(/.{3}/g) ?? ['000'];
  const path = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  return `tile/entries/${path}${width < 256 ? `.p/${String(width)}` : ''}`;
}

/** The entries of a data tile: each is a 16-bit big-endian length, then that many bytes. */
export function splitEntryBundle(bundle: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bundle.length) {
    if (entries.length === 256) throw new Error('the data tile holds more than 256 entries');
    const length = ((bundle[at] ?? 0) << 8) | (bundle[at + 1] ?? 0);
    if (at + 2 + length > bundle.length) {
      throw new Error(`the data tile is truncated at byte ${String(at)}`);
    }
    entries.push(bundle.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return entries;
}

/** RFC 6962 §2.1: leaf hash = SHA-256(0x00 ‖ entry). */
export function leafHash(entry: Uint8Array): Promise<Uint8Array> {
  return sha256(Uint8Array.of(0), entry);
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to (undefined if its length is wrong). */
export async function rootFromInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<Uint8Array | undefined> {
  if (index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(Uint8Array.of(1), p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await sha256(Uint8Array.of(1), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}
