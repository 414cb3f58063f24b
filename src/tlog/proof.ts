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
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  const roots = rootsFromConsistencyPath(size1, size2, path, proof.length);
  if (!sameHash(roots.oldRoot, root1))
    fail(`consistency proof from ${size1} to ${size2} does not lead to the old root`);
  if (!sameHash(roots.newRoot, root2))
    fail(`consistency proof from ${size1} to ${size2} does not lead to the new root`);
}

/**
 * The two roots a consistency path gives (RFC 9162 §2.1.4.2, steps 3–7): the root of the first
 * `size1` leaves and the root of all `size2`, for 0 < size1 < size2. `path` is the whole
 * SUBPROOF(size1, D[0:size2], false): when size1 is a power of two its first node is the old
 * tree's root, which an ordinary consistency proof leaves out because the verifier holds it.
 * Throws TLOG_PROOF_INVALID when the path has the wrong length for the sizes; `given` is the
 * number of hashes the caller was handed, for its messages.
 */
export function rootsFromConsistencyPath(
  size1: number,
  size2: number,
  path: readonly Uint8Array[],
  given: number = path.length,
): { readonly oldRoot: Uint8Array; readonly newRoot: Uint8Array } {
  checkNumber(size1, 'old tree size');
  checkNumber(size2, 'new tree size');
  if (size1 === 0 || size1 >= size2) fail(`a consistency path needs 0 < ${size1} < ${size2}`);
  if (path.length === 0) fail(`consistency proof from ${size1} to ${size2} is empty`);
  if (path.length > MAX_PROOF_HASHES + 1)
    fail(`a proof has at most ${MAX_PROOF_HASHES} hashes, this one ${path.length}`);
  for (let i = 0; i < path.length; i += 1) {
    const length = (path[i] as Uint8Array).length;
    if (length !== HASH_SIZE) fail(`proof hash ${i} is ${length} bytes, not ${HASH_SIZE}`);
  }
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0] as Uint8Array;
  let sr: Uint8Array = fr;
  for (let i = 1; i < path.length; i += 1) {
    const c = path[i] as Uint8Array;
    if (sn === 0)
      fail(`consistency proof from ${size1} to ${size2} has too many hashes (${given})`);
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
  if (sn !== 0) fail(`consistency proof from ${size1} to ${size2} is too short (${given} hashes)`);
  return { oldRoot: fr, newRoot: sr };
}

/** Constant-time comparison of two hashes; different lengths are simply unequal. */
export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isPowerOfTwo(n: number): boolean {
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
