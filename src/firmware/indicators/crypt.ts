import { createHash } from 'node:crypto';
import { desCrypt } from './des-crypt.js';

/**
 * crypt(3) hashes nospy can recompute to test a found hash against known default passwords:
 * md5crypt (`$1$`, Poul-Henning Kamp's FreeBSD algorithm) and SHA-crypt (`$5$`, `$6$`, Ulrich
 * Drepper, "Unix crypt using SHA-256 and SHA-512", 2008) here, traditional DES crypt in
 * des-crypt.ts.
 */

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function to64(value: number, chars: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < chars; i += 1) {
    out += ITOA64[v & 0x3f] ?? '';
    v >>>= 6;
  }
  return out;
}

function b64From24(bytes: Uint8Array, a: number, b: number, c: number, chars: number): string {
  return to64(((bytes[a] ?? 0) << 16) | ((bytes[b] ?? 0) << 8) | (bytes[c] ?? 0), chars);
}

/** md5crypt: `$1$<salt ≤ 8>$<22 chars>`. */
export function md5crypt(password: string, salt: string): string {
  const pw = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 8), 'utf8');
  const alt = createHash('md5').update(pw).update(s).update(pw).digest();
  const ctx = createHash('md5').update(pw).update('$1$').update(s);
  for (let left = pw.length; left > 0; left -= 16) ctx.update(alt.subarray(0, Math.min(16, left)));
  for (let i = pw.length; i > 0; i >>>= 1) ctx.update(i & 1 ? Buffer.from([0]) : pw.subarray(0, 1));
  let final = ctx.digest();
  for (let i = 0; i < 1000; i += 1) {
    const round = createHash('md5');
    round.update(i & 1 ? pw : final);
    if (i % 3) round.update(s);
    if (i % 7) round.update(pw);
    round.update(i & 1 ? final : pw);
    final = round.digest();
  }
  const f = final;
  const body =
    b64From24(f, 0, 6, 12, 4) +
    b64From24(f, 1, 7, 13, 4) +
    b64From24(f, 2, 8, 14, 4) +
    b64From24(f, 3, 9, 15, 4) +
    b64From24(f, 4, 10, 5, 4) +
    to64(f[11] ?? 0, 2);
  return `$1$${s.toString('utf8')}$${body}`;
}

const SHA512_ORDER = [
  [0, 21, 42],
  [22, 43, 1],
  [44, 2, 23],
  [3, 24, 45],
  [25, 46, 4],
  [47, 5, 26],
  [6, 27, 48],
  [28, 49, 7],
  [50, 8, 29],
  [9, 30, 51],
  [31, 52, 10],
  [53, 11, 32],
  [12, 33, 54],
  [34, 55, 13],
  [56, 14, 35],
  [15, 36, 57],
  [37, 58, 16],
  [59, 17, 38],
  [18, 39, 60],
  [40, 61, 19],
  [62, 20, 41],
] as const;
const SHA256_ORDER = [
  [0, 10, 20],
  [21, 1, 11],
  [12, 22, 2],
  [3, 13, 23],
  [24, 4, 14],
  [15, 25, 5],
  [6, 16, 26],
  [27, 7, 17],
  [18, 28, 8],
  [9, 19, 29],
] as const;

/** Rounds above this are not recomputed: a hostile hash must not cost minutes. */
export const MAX_SHA_CRYPT_ROUNDS = 20_000;

function repeatTo(source: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += source.length)
    source.copy(out, i, 0, Math.min(source.length, length - i));
  return out;
}

/** SHA-crypt (`$5$` / `$6$`), with an optional `rounds=N` (Drepper 2008, steps 1–22). */
export function shaCrypt(variant: 5 | 6, password: string, saltSpec: string): string | undefined {
  const algorithm = variant === 5 ? 'sha256' : 'sha512';
  const roundsMatch = /^rounds=(\d+)\$/.exec(saltSpec);
  const custom = roundsMatch !== null;
  const rounds = custom ? Math.min(999_999_999, Math.max(1000, Number(roundsMatch[1]))) : 5000;
  if (rounds > MAX_SHA_CRYPT_ROUNDS) return undefined;
  const saltText = (custom ? saltSpec.slice(roundsMatch[0].length) : saltSpec).split('$')[0] ?? '';
  const pw = Buffer.from(password, 'utf8');
  const salt = Buffer.from(saltText, 'utf8').subarray(0, 16);
  const hash = (...parts: Buffer[]): Buffer => {
    const h = createHash(algorithm);
    for (const part of parts) h.update(part);
    return h.digest();
  };
  const b = hash(pw, salt, pw);
  const a = createHash(algorithm).update(pw).update(salt).update(repeatTo(b, pw.length));
  for (let i = pw.length; i > 0; i >>>= 1) a.update(i & 1 ? b : pw);
  const digestA = a.digest();
  const dp = createHash(algorithm);
  for (let i = 0; i < pw.length; i += 1) dp.update(pw);
  const p = repeatTo(dp.digest(), pw.length);
  const ds = createHash(algorithm);
  for (let i = 0; i < 16 + (digestA[0] ?? 0); i += 1) ds.update(salt);
  const s = repeatTo(ds.digest(), salt.length);
  let c = digestA;
  for (let i = 0; i < rounds; i += 1) {
    const round = createHash(algorithm);
    round.update(i & 1 ? p : c);
    if (i % 3) round.update(s);
    if (i % 7) round.update(p);
    round.update(i & 1 ? c : p);
    c = round.digest();
  }
  let body = '';
  if (variant === 6) {
    for (const [x, y, z] of SHA512_ORDER) body += b64From24(c, x, y, z, 4);
    body += to64(c[63] ?? 0, 2);
  } else {
    for (const [x, y, z] of SHA256_ORDER) body += b64From24(c, x, y, z, 4);
    body += to64(((c[31] ?? 0) << 8) | (c[30] ?? 0), 3);
  }
  return `$${variant}$${custom ? `rounds=${rounds}$` : ''}${salt.toString('utf8')}$${body}`;
}

/** Recomputes `hash` for `password` when its scheme is one nospy implements; undefined otherwise. */
export function cryptMatches(hash: string, password: string): boolean | undefined {
  if (hash.startsWith('$1$')) {
    const salt = hash.slice(3).split('$')[0] ?? '';
    return md5crypt(password, salt) === hash;
  }
  if (hash.startsWith('$5$') || hash.startsWith('$6$')) {
    const variant = hash.startsWith('$5$') ? 5 : 6;
    const rest = hash.slice(3);
    const spec = rest.slice(0, rest.lastIndexOf('$'));
    const computed = shaCrypt(variant, password, spec);
    return computed === undefined ? undefined : computed === hash;
  }
  if (/^[./0-9A-Za-z]{13}$/.test(hash)) return desCrypt(password, hash.slice(0, 2)) === hash;
  return undefined;
}
