/** Field schemas shared by the nospy predicates. */
import { z } from 'zod';
import { ipFamily } from '../../ip/family.js';

export const sha256Hex = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'expected a sha256 digest: 64 lowercase hex digits');

/** An in-toto DigestSet restricted to sha256, the one algorithm nospy matches subjects by. */
export const digestSet = z.strictObject({ sha256: sha256Hex });

/** A short human string: names, versions, ids. */
export const shortText = z.string().trim().min(1, 'must not be empty').max(256);
/** Prose: purposes, clause text, canary statements. */
export const longText = z.string().trim().min(1, 'must not be empty').max(16_384);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date (YYYY-MM-DD) or an RFC 3339 date-time with a zone. */
export const dateOrDateTime = z
  .string()
  .refine(
    (value) => instantOf(value, 'start') !== undefined,
    'expected a date (YYYY-MM-DD) or an RFC 3339 date-time with a zone (2026-01-31T12:00:00Z)',
  );

/** An RFC 3339 date-time with a zone: an instant, for windows and observations. */
export const dateTime = z
  .string()
  .refine(
    (value) => DATE_TIME.test(value) && instantOf(value, 'start') !== undefined,
    'expected an RFC 3339 date-time with a zone (2026-01-31T12:00:00Z)',
  );

/**
 * The instant a date or date-time stands for, in ms since the epoch. A bare date means the start
 * of that UTC day as a lower bound and the end of it (inclusive) as an upper bound, which is how
 * a contract's "valid until 31 December" reads.
 */
export function instantOf(value: string, bound: 'start' | 'end'): number | undefined {
  const date = DATE.exec(value);
  if (date !== null) {
    const [y, m, d] = [date[1], date[2], date[3]].map(Number) as [number, number, number];
    const start = Date.UTC(y, m - 1, d);
    const check = new Date(start);
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
      return undefined;
    }
    return bound === 'start' ? start : start + 86_400_000 - 1;
  }
  const match = DATE_TIME.exec(value);
  if (match === null) return undefined;
  // Date.parse would roll 2026-02-30 over to March; the calendar day must exist.
  if (instantOf(value.slice(0, 10), 'start') === undefined) return undefined;
  const [hour, minute, second] = [match[4], match[5], match[6]].map(Number) as [
    number,
    number,
    number,
  ];
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A key handle `name+<8 hex>`: the verifier key without its material (c2sp.org/signed-note). */
export const keyHandleText = z
  .string()
  .regex(/^[^\s+]+\+[0-9a-f]{8}$/, 'expected a key handle <name>+<8 hex digits>');

export const httpsUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'expected an http(s) URL');

/** An IPv4 or IPv6 prefix in CIDR notation with no host bits set (RFC 4632 §3.1, RFC 4291 §2.3). */
export const cidr = z
  .string()
  .refine(isCanonicalCidr, 'expected a CIDR prefix such as 192.0.2.0/24');

export function isCanonicalCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const lengthText = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText)) return false;
  const length = Number(lengthText);
  const family = ipFamily(address);
  if (family === 0 || length > (family === 4 ? 32 : 128)) return false;
  const bits = addressBits(address, family);
  return (
    (bits >> BigInt((family === 4 ? 32 : 128) - length)) <<
      BigInt((family === 4 ? 32 : 128) - length) ===
    bits
  );
}

function addressBits(address: string, family: number): bigint {
  if (family === 4) {
    return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  }
  const [head = '', tail = ''] = address.includes('::') ? address.split('::') : [address, ''];
  const toGroups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const expand = (groups: string[]): string[] =>
    groups.flatMap((group) => {
      if (!group.includes('.')) return [group];
      const v4 = addressBits(group, 4);
      return [(v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
    });
  const headGroups = expand(toGroups(head));
  const tailGroups = expand(toGroups(tail));
  const zeros = Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].reduce(
    (acc, group) => (acc << 16n) | BigInt(`0x${group}`),
    0n,
  );
}

/** Rejects a list that names the same thing twice, pointing at the second one. */
export function uniqueBy<T>(key: (item: T) => string, what: string) {
  return (items: readonly T[], ctx: z.RefinementCtx): void => {
    const seen = new Set<string>();
    for (const [index, item] of items.entries()) {
      const k = key(item);
      if (seen.has(k))
        ctx.addIssue({ code: 'custom', path: [index], message: `repeats ${what} "${k}"` });
      seen.add(k);
    }
  };
}
