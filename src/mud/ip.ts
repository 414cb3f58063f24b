/**
 * IP address and prefix text, parsed without allocation into a caller's scratch words so that the
 * matcher can read a record's addresses on every match. IPv4 is one 32-bit word (`out[0]`); IPv6
 * is four big-endian 32-bit words (`out[0..3]`).
 */

/** The address family a parse found: 4, 6, or 0 when the text is not an address. */
export type IpFamily = 0 | 4 | 6;

const groups = new Uint16Array(8);

/** Parses a dotted quad in `text[start, end)`; -1 when it is not one. Leading zeros are refused (RFC 6943 §3.1.1: they read as octal elsewhere). */
function parseIpv4Range(text: string, start: number, end: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      digits += 1;
      if (octet > 255) return -1;
    } else if (c === 46) {
      if (digits === 0) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots += 1;
      if (dots > 3) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** RFC 4291 §2.2 text forms, including `::` and a trailing dotted quad; zone indices are refused. */
function parseIpv6(text: string, out: Uint32Array): boolean {
  const n = text.length;
  if (n < 2 || n > 45) return false;
  let i = 0;
  let count = 0;
  let gap = -1;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    const start = i;
    let value = 0;
    let digits = 0;
    while (i < n) {
      const d = hexValue(text.charCodeAt(i));
      if (d < 0) break;
      value = value * 16 + d;
      digits += 1;
      i += 1;
    }
    if (i < n && text.charCodeAt(i) === 46) {
      // The last 32 bits written as a dotted quad (RFC 4291 §2.2 form 3).
      if (count > 6) return false;
      const v4 = parseIpv4Range(text, start, n);
      if (v4 < 0) return false;
      groups[count] = v4 >>> 16;
      groups[count + 1] = v4 & 0xffff;
      count += 2;
      break;
    }
    if (digits === 0 || digits > 4 || count === 8) return false;
    groups[count] = value;
    count += 1;
    if (i === n) break;
    if (text.charCodeAt(i) !== 58) return false;
    i += 1;
    if (i < n && text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i += 1;
    } else if (i === n) {
      return false;
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return false;
  // Expand the gap: groups after it move to the end, zeros fill it.
  const tail = gap < 0 ? 0 : count - gap;
  for (let w = 0; w < 4; w += 1) out[w] = 0;
  for (let g = 0; g < 8; g += 1) {
    let v = 0;
    if (gap < 0) v = groups[g] ?? 0;
    else if (g < gap) v = groups[g] ?? 0;
    else if (g >= 8 - tail) v = groups[gap + (g - (8 - tail))] ?? 0;
    const w = g >> 1;
    out[w] = (g & 1) === 0 ? (v << 16) >>> 0 : ((out[w] ?? 0) | v) >>> 0;
  }
  return true;
}

/**
 * Parses an IPv4 or IPv6 address into `out` (at least 4 words) and returns its family, or 0.
 * Allocates nothing.
 */
export function parseIpInto(text: string, out: Uint32Array): IpFamily {
  if (text.indexOf(':') >= 0) return parseIpv6(text, out) ? 6 : 0;
  const v4 = parseIpv4Range(text, 0, text.length);
  if (v4 < 0) return 0;
  out[0] = v4;
  return 4;
}

/** A parsed prefix: family, the first address's words, and the prefix length. */
export interface IpPrefix {
  readonly family: 4 | 6;
  readonly words: Uint32Array;
  readonly length: number;
}

/** Parses `address` or `address/length`; undefined when it is neither. Host bits are cleared. */
export function parsePrefix(text: string): IpPrefix | undefined {
  const slash = text.indexOf('/');
  const words = new Uint32Array(4);
  const family = parseIpInto(slash < 0 ? text : text.slice(0, slash), words);
  if (family === 0) return undefined;
  const max = family === 4 ? 32 : 128;
  let length = max;
  if (slash >= 0) {
    const digits = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(digits)) return undefined;
    length = Number(digits);
    if (length > max) return undefined;
  }
  const count = family === 4 ? 1 : 4;
  for (let w = 0; w < count; w += 1) {
    const bits = Math.min(32, Math.max(0, length - 32 * w));
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    words[w] = ((words[w] ?? 0) & mask) >>> 0;
  }
  return { family, words, length };
}

/** The canonical text of an address (dotted quad; RFC 5952 for IPv6), or undefined. */
export function canonicalAddress(text: string): string | undefined {
  const words = new Uint32Array(4);
  const family = parseIpInto(text, words);
  if (family === 0) return undefined;
  if (family === 4) return formatIpv4(words[0] ?? 0);
  return formatIpv6(words);
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** RFC 5952 §4: lower case, no leading zeros, the longest (first on a tie) run of ≥ 2 zero groups as `::`; §5 keeps IPv4-mapped dotted. */
export function formatIpv6(words: Uint32Array): string {
  const g: number[] = [];
  for (let w = 0; w < 4; w += 1) g.push((words[w] ?? 0) >>> 16, (words[w] ?? 0) & 0xffff);
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${formatIpv4(words[3] ?? 0)}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = g.map((v) => v.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
