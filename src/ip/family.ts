/**
 * Whether text is an IP address, and of which family, without Node's network module: decoders,
 * schemas and evaluators stay pure (no `node:net`), and they all answer the same question the
 * same way. The answers are `node:net`'s `isIP` ones (the test file checks that by property).
 *
 * IPv4 is the dotted-decimal form of RFC 3986 §3.2.2 (`dec-octet`): four decimal octets 0–255,
 * no leading zeros (a leading zero reads as octal elsewhere, RFC 6943 §3.1.1). IPv6 is the text of
 * RFC 4291 §2.2: eight groups of one to four hex digits, at most one `::` standing for one or more
 * zero groups, the last 32 bits optionally as a dotted quad, then optionally a zone index
 * (RFC 4007 §11: `%` and a name, here letters, digits, `-`, `.` and `:`).
 */

/** The family of an address: 4, 6, or 0 when the text is neither. */
export type IpFamily = 0 | 4 | 6;

/** 4 for an IPv4 address, 6 for an IPv6 address (a zone index allowed), 0 otherwise. */
export function ipFamily(text: string): IpFamily {
  if (isIPv4(text)) return 4;
  if (isIPv6(text)) return 6;
  return 0;
}

/** True for a dotted-decimal IPv4 address. */
export function isIPv4(text: string): boolean {
  return isDottedQuad(text, 0, text.length);
}

/** True for an IPv6 address in any RFC 4291 §2.2 text form, with or without a zone index. */
export function isIPv6(text: string): boolean {
  const percent = text.indexOf('%');
  if (percent >= 0 && !isZone(text, percent + 1)) return false;
  const end = percent >= 0 ? percent : text.length;
  const gap = text.indexOf('::');
  if (gap < 0 || gap >= end) return groupCount(text, 0, end, true) === 8;
  // One `::` at most; what it stands for is at least one group, so at most seven are written.
  const second = text.indexOf('::', gap + 1);
  if (second >= 0 && second < end) return false;
  const left = gap === 0 ? 0 : groupCount(text, 0, gap, false);
  const right = gap + 2 === end ? 0 : groupCount(text, gap + 2, end, true);
  return left >= 0 && right >= 0 && left + right <= 7;
}

/**
 * The number of groups in `text[start, end)` written as `group:group:…`, a dotted quad counting
 * as two (allowed only as the last group, and only when `lastMayBeQuad`); -1 when malformed.
 */
function groupCount(text: string, start: number, end: number, lastMayBeQuad: boolean): number {
  let count = 0;
  let at = start;
  for (;;) {
    const colon = text.indexOf(':', at);
    const stop = colon < 0 || colon >= end ? end : colon;
    if (stop === end && lastMayBeQuad && text.lastIndexOf('.', end - 1) >= at) {
      return isDottedQuad(text, at, end) ? count + 2 : -1;
    }
    if (!isHexGroup(text, at, stop)) return -1;
    count += 1;
    if (stop === end) return count;
    at = stop + 1;
  }
}

function isHexGroup(text: string, start: number, end: number): boolean {
  if (end - start < 1 || end - start > 4) return false;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    const hex = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
    if (!hex) return false;
  }
  return true;
}

function isDottedQuad(text: string, start: number, end: number): boolean {
  let octets = 0;
  let at = start;
  for (;;) {
    const dot = text.indexOf('.', at);
    const stop = dot < 0 || dot >= end ? end : dot;
    if (!isDecOctet(text, at, stop)) return false;
    octets += 1;
    if (stop === end) return octets === 4;
    if (octets === 4) return false;
    at = stop + 1;
  }
}

/** RFC 3986 §3.2.2 dec-octet: 0–255 in one to three digits, no leading zero. */
function isDecOctet(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > 3) return false;
  let value = 0;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    value = value * 10 + (c - 48);
  }
  if (length > 1 && text.charCodeAt(start) === 48) return false;
  return value <= 255;
}

/** A zone index from `start` to the end: one or more letters, digits, `-`, `.` or `:`. */
function isZone(text: string, start: number): boolean {
  if (start >= text.length) return false;
  for (let i = start; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 57) ||
      (c >= 97 && c <= 122) ||
      (c >= 65 && c <= 90) ||
      c === 45 ||
      c === 46 ||
      c === 58;
    if (!ok) return false;
  }
  return true;
}
