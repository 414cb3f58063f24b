import { ipFamily } from '../ip/family.js';

/**
 * Address text for flow records, built straight from the exported bytes: dotted quad for IPv4,
 * RFC 5952 canonical form for IPv6 (lower case, leading zeros dropped, the longest run of two or
 * more zero groups compressed, the first one on a tie).
 */

/** IPv4 dotted quad from 4 bytes at `offset` (the caller has checked the bounds). */
export function formatIPv4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** IPv4 dotted quad from a 32-bit unsigned integer. */
export function formatIPv4Number(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

const groups = new Uint16Array(8);

/** IPv6 text (RFC 5952 §4) from 16 bytes at `offset` (the caller has checked the bounds). */
export function formatIPv6(bytes: Uint8Array, offset: number): string {
  for (let i = 0; i < 8; i += 1) {
    groups[i] = ((bytes[offset + 2 * i] ?? 0) << 8) | (bytes[offset + 2 * i + 1] ?? 0);
  }
  return formatGroups();
}

/** IPv6 text (RFC 5952 §4) from four big-endian 32-bit words. */
export function formatIPv6Words(words: Uint32Array): string {
  for (let w = 0; w < 4; w += 1) {
    const word = words[w] ?? 0;
    groups[2 * w] = word >>> 16;
    groups[2 * w + 1] = word & 0xffff;
  }
  return formatGroups();
}

/** RFC 5952 text of the eight groups in `groups`. */
function formatGroups(): string {
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
  if (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  ) {
    return `::ffff:${(groups[6] ?? 0) >>> 8}.${(groups[6] ?? 0) & 255}.${(groups[7] ?? 0) >>> 8}.${(groups[7] ?? 0) & 255}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let i = 0; i <= 8; i += 1) {
    if (i < 8 && groups[i] === 0) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      if (i - runStart > bestLength) {
        bestStart = runStart;
        bestLength = i - runStart;
      }
      runStart = -1;
    }
  }
  let text = '';
  for (let i = 0; i < 8; i += 1) {
    if (i === bestStart) {
      text += i === 0 ? '::' : ':';
      i += bestLength - 1;
      continue;
    }
    text += (groups[i] ?? 0).toString(16);
    if (i < 7) text += ':';
  }
  return text;
}

/**
 * The canonical text of an address given as text, or undefined when it is not an IPv4 or IPv6
 * address. Zone IDs are refused: a flow record carries no zone.
 */
export function canonicalAddress(text: string): string | undefined {
  const family = ipFamily(text);
  if (family === 4) {
    const parts = text.split('.');
    return parts.map((part) => String(Number(part))).join('.');
  }
  if (family !== 6 || text.includes('%')) return undefined;
  const bytes = parseIPv6(text);
  return bytes === undefined ? undefined : formatIPv6(bytes, 0);
}

/** 16 bytes of an IPv6 address already accepted by `ipFamily`. */
export function parseIPv6(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(16);
  let head = text;
  let tailV4: string | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) >= 0) {
    tailV4 = text.slice(lastColon + 1);
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left === '' ? [] : left.split(':');
  const rightGroups = right === undefined || right === '' ? [] : right.split(':');
  const missing = 8 - leftGroups.length - rightGroups.length;
  if (missing < 0 || (right === undefined && missing !== 0)) return undefined;
  const all = [...leftGroups, ...new Array<string>(missing).fill('0'), ...rightGroups];
  all.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 255;
  });
  if (tailV4 !== undefined) {
    tailV4.split('.').forEach((part, i) => {
      bytes[12 + i] = Number(part);
    });
  }
  return bytes;
}
