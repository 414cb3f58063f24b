/**
 * Verifying Merkle inclusion and consistency proofs (RFC 9162 §2.1.3.2 and §2.1.4.2). Every
 * failure throws TLOG_PROOF_INVALID naming what did not hold; success returns nothing.
 */
import { timingSafeEqual } from 'node:crypto';
import { TlogError } from './errors.js';
import { EMPTY_ROOT, HASH_SIZE, nodeHash } from './hash.js';

/** No tree of up to 2^64 leaves needs more hashes than this in either kind of proof. */
export const MAX_PROOF_HASHES = 64;

/** Checks that `leafHash` is the leaf at `index` in the tree of `size` leaves whose root is `root`. */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkNumber(index, 'leaf index');
  checkNumber(size, 'tree size');
  if (index >= size) fail(`leaf index ${index} is not below tree size ${size}`);
  checkHashes(proof, leafHash, 'leaf hash');
  // RFC 9162 §2.1.3.2
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0)
      fail(`inclusion proof for leaf ${index} of ${size} has too many hashes (${proof.length})`);
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0)
    fail(`inclusion proof for leaf ${index} of ${size} is too short (${proof.length} hashes)`);
  if (!sameHash(r, root)) {
    fail(
      `inclusion proof for leaf ${index} of ${size} leads to a root that differs from the expected root`,
    );
  }
}

/**
 * Checks that the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves with
 * root `root1`. Equal sizes need an empty proof and equal roots. Size 0 is accepted with an empty
 * proof when root1 is SHA-256("") (as c2sp.org/tlog-witness requires for `old 0`), where
 * transparency-dev/merkle rejects it outright.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkNumber(size1, 'old tree size');
  checkNumber(size2, 'new tree size');
  if (size1 > size2) fail(`old tree size ${size1} is larger than new tree size ${size2}`);
  if (size1 === 0 && !sameHash(root1, EMPTY_ROOT)) {
    fail('the root of the empty tree must be SHA-256("") (e3b0c442…b855)');
  }
  if (size1 === size2) {
    if (proof.length > 0) fail(`tree sizes are equal (${size1}) but the proof is not empty`);
    if (!sameHash(root1, root2)) fail(`tree sizes are equal (${size1}) but the roots differ`);
    return;
  }
  if (size1 === 0) {
    if (proof.length > 0) fail('a consistency proof from the empty tree must be empty');
    return;
  }
  if (proof.length === 0) fail(`consistency proof from ${size1} to ${size2} is empty`);
  checkHashes(proof, root1, 'old root');
  // RFC 9162 §2.1.4.2: when size1 is a power of two the old root is the first node of the path.
  const prependRoot = isPowerOfTwo(size1);
  const pathLength = proof.length + (prependRoot ? 1 : 0);
  const at = (i: number): Uint8Array =>
    (prependRoot ? (i === 0 ? root1 : proof[i - 1]) : proof[i]) as Uint8Array;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = at(0);
  let sr: Uint8Array = fr;
  for (let i = 1; i < pathLength; i += 1) {
    const c = at(i);
    if (sn === 0)
      fail(`consistency proof from ${size1} to ${size2} has too many hashes (${proof.length})`);
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0)
    fail(`consistency proof from ${size1} to ${size2} is too short (${proof.length} hashes)`);
  if (!sameHash(fr, root1))
    fail(`consistency proof from ${size1} to ${size2} does not lead to the old root`);
  if (!sameHash(sr, root2))
    fail(`consistency proof from ${size1} to ${size2} does not lead to the new root`);
}

/** Constant-time comparison of two hashes; different lengths are simply unequal. */
export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

function checkNumber(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    fail(`${what} must be an integer from 0 to 2^53-1, not ${value}`);
  }
}

function checkHashes(proof: readonly Uint8Array[], start: Uint8Array, what: string): void {
  if (proof.length > MAX_PROOF_HASHES)
    fail(`a proof has at most ${MAX_PROOF_HASHES} hashes, this one ${proof.length}`);
  if (start.length !== HASH_SIZE) fail(`the ${what} is ${start.length} bytes, not ${HASH_SIZE}`);
  for (let i = 0; i < proof.length; i += 1) {
    const length = (proof[i] as Uint8Array).length;
    if (length !== HASH_SIZE) fail(`proof hash ${i} is ${length} bytes, not ${HASH_SIZE}`);
  }
}

function fail(message: string): never {
  throw new TlogError('TLOG_PROOF_INVALID', message);
}
