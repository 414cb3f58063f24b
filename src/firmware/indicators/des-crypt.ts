/**
 * Traditional crypt(3) (Seventh Edition Unix, Morris & Thompson 1979): the first 8 password
 * characters form a DES key, a 2-character salt swaps pairs of E-box outputs, and a zero block
 * is encrypted 25 times. DES is FIPS 46-3; the tables below are its tables, 1-based as
 * published. Written bit by bit: it runs a few thousand blocks per scan, speed is not the point.
 */

const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64,
  56, 48, 40, 32, 24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53,
  45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];
/** FP is the inverse of IP (FIPS 46-3, "IP^-1"). */
const FP = IP.map((_, i) => IP.indexOf(i + 1) + 1);
/** E: eight overlapping 6-bit groups of R (FIPS 46-3, "E BIT-SELECTION TABLE"). */
const E = Array.from(
  { length: 48 },
  (_, k) => ((4 * Math.floor(k / 6) + (k % 6) - 1 + 32) % 32) + 1,
);
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13,
  30, 6, 22, 11, 4, 25,
];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60,
  52, 44, 36, 63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21,
  13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52,
  31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
/** S1–S8, each four rows of 16 (FIPS 46-3, "PRIMITIVE FUNCTIONS S1, ..., S8"). */
export const S_BOXES: readonly (readonly number[])[] = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11,
    9, 5, 3, 8, 4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5,
    11, 3, 14, 10, 0, 6, 13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10,
    6, 9, 11, 5, 0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2,
    11, 6, 7, 12, 0, 5, 14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12,
    11, 15, 1, 13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4,
    15, 14, 3, 11, 5, 2, 12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1,
    10, 14, 9, 10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9,
    4, 5, 11, 12, 7, 2, 14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10,
    3, 9, 8, 6, 4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6,
    15, 0, 9, 10, 4, 5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14,
    0, 11, 3, 8, 9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10,
    11, 14, 1, 7, 6, 0, 8, 13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12,
    2, 15, 8, 6, 1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9,
    5, 0, 15, 14, 2, 3, 12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11,
    0, 14, 9, 2, 7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13,
    15, 12, 9, 0, 3, 5, 6, 11,
  ],
];

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const permute = (bits: readonly number[], table: readonly number[]): number[] =>
  table.map((p) => bits[p - 1] ?? 0);

function keySchedule(key: readonly number[]): number[][] {
  const cd = permute(key, PC1);
  let c = cd.slice(0, 28);
  let d = cd.slice(28);
  return SHIFTS.map((shift) => {
    c = [...c.slice(shift), ...c.slice(0, shift)];
    d = [...d.slice(shift), ...d.slice(0, shift)];
    return permute([...c, ...d], PC2);
  });
}

function encrypt(
  block: readonly number[],
  keys: readonly number[][],
  e: readonly number[],
): number[] {
  const permuted = permute(block, IP);
  let l = permuted.slice(0, 32);
  let r = permuted.slice(32);
  for (const k of keys) {
    const x = permute(r, e).map((bit, i) => bit ^ (k[i] ?? 0));
    const s: number[] = [];
    for (let box = 0; box < 8; box += 1) {
      const b = x.slice(box * 6, box * 6 + 6);
      const row = ((b[0] ?? 0) << 1) | (b[5] ?? 0);
      const column = ((b[1] ?? 0) << 3) | ((b[2] ?? 0) << 2) | ((b[3] ?? 0) << 1) | (b[4] ?? 0);
      const value = S_BOXES[box]?.[row * 16 + column] ?? 0;
      s.push((value >> 3) & 1, (value >> 2) & 1, (value >> 1) & 1, value & 1);
    }
    const f = permute(s, P);
    const next = l.map((bit, i) => bit ^ (f[i] ?? 0));
    l = r;
    r = next;
  }
  return permute([...r, ...l], FP);
}

/** crypt(3) with a 2-character salt: 13 characters, the salt first. */
export function desCrypt(password: string, salt: string): string {
  const key: number[] = [];
  for (let i = 0; i < 8; i += 1) {
    const byte = (password.charCodeAt(i) << 1) & 0xff; // NaN past the end becomes 0
    for (let bit = 7; bit >= 0; bit -= 1) key.push((byte >> bit) & 1);
  }
  const e = [...E];
  for (let i = 0; i < 2; i += 1) {
    const value = Math.max(0, ITOA64.indexOf(salt[i] ?? '.'));
    for (let j = 0; j < 6; j += 1) {
      if ((value >> j) & 1) {
        const a = e[6 * i + j] ?? 0;
        e[6 * i + j] = e[6 * i + j + 24] ?? 0;
        e[6 * i + j + 24] = a;
      }
    }
  }
  const keys = keySchedule(key);
  let block = new Array<number>(64).fill(0);
  for (let i = 0; i < 25; i += 1) block = encrypt(block, keys, e);
  const bits = [...block, 0, 0];
  let out = salt.slice(0, 2);
  for (let i = 0; i < 11; i += 1) {
    let value = 0;
    for (let j = 0; j < 6; j += 1) value = (value << 1) | (bits[6 * i + j] ?? 0);
    out += ITOA64[value] ?? '.';
  }
  return out;
}
