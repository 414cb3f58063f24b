import { ipFamily } from '../ip/family.js';
import { canonicalAddress, formatIPv4, formatIPv6, parseIPv6 } from './address.js';
import { FlowError } from './errors.js';
import type { FlowInitiator, FlowOrigin, FlowRecord } from './flow-record.js';

/**
 * The binary flow batch, version 1 (docs/flows.md, "Binary flow batches"): what a collector
 * publishes to the bus, one message per batch. Big-endian throughout.
 *
 * Header (20 bytes): magic `NSFB`, version (u8, 1), flags (u8, 0), reserved (u16, 0), record
 * count (u32), receive time of the batch's first datagram (f64, UTC ms).
 * Record: presence bits (u16), protocol (u8), address kinds (u8: 2 bits each for exporter, src,
 * dst), domain (u32), first, last (f64), sport, dport (u16), packets, bytes (f64), sampling (u32),
 * then the three addresses and the optional fields the presence bits name, in bit order.
 */
export const FLOW_BATCH_VERSION = 1;
export const FLOW_BATCH_MAGIC = 0x4e534642; // 'NSFB'
export const FLOW_BATCH_HEADER_BYTES = 20;
/** A batch claiming more records than this is refused before anything is allocated. */
export const MAX_BATCH_RECORDS = 1 << 20;

const FIXED_RECORD_BYTES = 2 + 1 + 1 + 4 + 8 + 8 + 2 + 2 + 8 + 8 + 4;

// Presence bits, in the order their fields follow the addresses.
const TCP_FLAGS = 1 << 0;
const INPUT = 1 << 1;
const OUTPUT = 1 << 2;
const REV_PACKETS = 1 << 3;
const REV_BYTES = 1 << 4;
const ID = 1 << 5;
// Bits 6–7 origin, 8–9 initiator; the rest must be zero.
const ORIGIN_SHIFT = 6;
const INITIATOR_SHIFT = 8;
const KNOWN_BITS = 0x3ff;

// Address kinds: 4 or 16 bytes of a canonical address, text when the record's text is not the
// canonical form (it must come back exactly as it went in), empty.
const V4 = 0;
const V6 = 1;
const TEXT = 2;
const EMPTY = 3;

const ORIGINS: readonly FlowOrigin[] = ['unknown', 'src', 'dst'];
const INITIATORS: readonly (FlowInitiator | undefined)[] = [
  undefined,
  'device',
  'remote',
  'unknown',
];

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The receive time and records of one decoded batch. */
export interface FlowBatch {
  readonly received: number;
  readonly records: FlowRecord[];
}

/**
 * Encodes records as one version-1 batch. Throws FLOW_BATCH_INVALID for a field the format cannot
 * carry exactly (a port above 65535, a fractional domain…): a batch never changes a record.
 *
 * @example
 * const bytes = encodeFlowBatch(records, Date.now());
 * const { records: back } = decodeFlowBatch(bytes); // deep-equal to records
 */
export function encodeFlowBatch(records: readonly FlowRecord[], received: number): Uint8Array {
  if (records.length > MAX_BATCH_RECORDS) invalid(`${records.length} records in one batch`);
  const texts: (Uint8Array | undefined)[] = [];
  // Each address's kind, told once: telling it is most of the cost of encoding a record.
  const kinds = new Uint8Array(records.length * 3);
  let size = FLOW_BATCH_HEADER_BYTES;
  let k = 0;
  for (const r of records) {
    size += FIXED_RECORD_BYTES;
    size +=
      addressBytes(r.exporter, texts, kinds, k) +
      addressBytes(r.src, texts, kinds, k + 1) +
      addressBytes(r.dst, texts, kinds, k + 2);
    k += 3;
    if (r.tcpFlags !== undefined) size += 2;
    if (r.input !== undefined) size += 4;
    if (r.output !== undefined) size += 4;
    if (r.revPackets !== undefined) size += 8;
    if (r.revBytes !== undefined) size += 8;
    if (r.id !== undefined) {
      const id = encoder.encode(r.id);
      if (id.length > 0xffff) invalid('a record id longer than 65535 bytes');
      texts.push(id);
      size += 2 + id.length;
    }
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, FLOW_BATCH_MAGIC);
  view.setUint8(4, FLOW_BATCH_VERSION);
  view.setUint32(8, records.length);
  view.setFloat64(12, checkedTime(received, 'receive time'));
  let p = FLOW_BATCH_HEADER_BYTES;
  let t = 0;
  const text = (bytes: Uint8Array | undefined, lengthBytes: 1 | 2): void => {
    const b = bytes ?? new Uint8Array(0);
    if (lengthBytes === 1) view.setUint8(p, b.length);
    else view.setUint16(p, b.length);
    p += lengthBytes;
    out.set(b, p);
    p += b.length;
  };
  const address = (a: string, kind: number): void => {
    if (kind === V4) {
      writeCanonicalV4(a, out, p);
      p += 4;
    } else if (kind === V6) {
      out.set(parseIPv6(a) ?? new Uint8Array(16), p);
      p += 16;
    } else if (kind === TEXT) {
      text(texts[t++], 1);
    }
  };
  k = 0;
  for (const r of records) {
    let bits = 0;
    if (r.tcpFlags !== undefined) bits |= TCP_FLAGS;
    if (r.input !== undefined) bits |= INPUT;
    if (r.output !== undefined) bits |= OUTPUT;
    if (r.revPackets !== undefined) bits |= REV_PACKETS;
    if (r.revBytes !== undefined) bits |= REV_BYTES;
    if (r.id !== undefined) bits |= ID;
    bits |= ORIGINS.indexOf(r.origin) << ORIGIN_SHIFT;
    bits |= INITIATORS.indexOf(r.initiator) << INITIATOR_SHIFT;
    const exporterKind = kinds[k] ?? EMPTY;
    const srcKind = kinds[k + 1] ?? EMPTY;
    const dstKind = kinds[k + 2] ?? EMPTY;
    k += 3;
    view.setUint16(p, bits);
    view.setUint8(p + 2, uint(r.proto, 0xff, 'proto'));
    view.setUint8(p + 3, (exporterKind << 4) | (srcKind << 2) | dstKind);
    view.setUint32(p + 4, uint(r.domain, 0xffffffff, 'domain'));
    view.setFloat64(p + 8, checkedTime(r.first, 'first'));
    view.setFloat64(p + 16, checkedTime(r.last, 'last'));
    view.setUint16(p + 24, uint(r.sport, 0xffff, 'sport'));
    view.setUint16(p + 26, uint(r.dport, 0xffff, 'dport'));
    view.setFloat64(p + 28, checkedCount(r.packets, 'packets'));
    view.setFloat64(p + 36, checkedCount(r.bytes, 'bytes'));
    view.setUint32(p + 44, uint(r.sampling, 0xffffffff, 'sampling'));
    p += FIXED_RECORD_BYTES;
    address(r.exporter, exporterKind);
    address(r.src, srcKind);
    address(r.dst, dstKind);
    if (r.tcpFlags !== undefined) {
      view.setUint16(p, uint(r.tcpFlags, 0xffff, 'tcpFlags'));
      p += 2;
    }
    if (r.input !== undefined) {
      view.setUint32(p, uint(r.input, 0xffffffff, 'input'));
      p += 4;
    }
    if (r.output !== undefined) {
      view.setUint32(p, uint(r.output, 0xffffffff, 'output'));
      p += 4;
    }
    if (r.revPackets !== undefined) {
      view.setFloat64(p, checkedCount(r.revPackets, 'revPackets'));
      p += 8;
    }
    if (r.revBytes !== undefined) {
      view.setFloat64(p, checkedCount(r.revBytes, 'revBytes'));
      p += 8;
    }
    if (r.id !== undefined) text(texts[t++], 2);
  }
  return out;
}

/**
 * Decodes a version-1 batch. Every byte is untrusted (it comes off the bus): the count is bounded
 * before anything is allocated, every read is bounds-checked, unknown versions, flags and bits are
 * refused, and a failure is FLOW_BATCH_INVALID naming the record and offset.
 */
export function decodeFlowBatch(bytes: Uint8Array): FlowBatch {
  if (bytes.length < FLOW_BATCH_HEADER_BYTES)
    invalid(`${bytes.length} bytes: shorter than the header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== FLOW_BATCH_MAGIC) invalid('not a flow batch (magic)');
  const version = view.getUint8(4);
  if (version !== FLOW_BATCH_VERSION) invalid(`version ${version}; this reader knows 1`);
  if (view.getUint8(5) !== 0 || view.getUint16(6) !== 0) invalid('unknown header flags');
  const count = view.getUint32(8);
  // Each record takes at least its fixed part: a count the bytes cannot hold is a lie.
  if (
    count > MAX_BATCH_RECORDS ||
    count * FIXED_RECORD_BYTES > bytes.length - FLOW_BATCH_HEADER_BYTES
  ) {
    invalid(`${count} records cannot fit in ${bytes.length} bytes`);
  }
  const received = checkedTime(view.getFloat64(12), 'receive time');
  const records: FlowRecord[] = [];
  let p = FLOW_BATCH_HEADER_BYTES;
  let index = 0;
  const need = (n: number): void => {
    if (p + n > bytes.length) invalid(`record ${index} cut short at byte ${p}`);
  };
  const text = (lengthBytes: 1 | 2): string => {
    need(lengthBytes);
    const length = lengthBytes === 1 ? view.getUint8(p) : view.getUint16(p);
    p += lengthBytes;
    need(length);
    let s: string;
    try {
      s = decoder.decode(bytes.subarray(p, p + length));
    } catch {
      invalid(`record ${index}: text at byte ${p} is not UTF-8`);
    }
    p += length;
    return s;
  };
  const address = (kind: number): string => {
    if (kind === V4) {
      need(4);
      p += 4;
      return formatIPv4(bytes, p - 4);
    }
    if (kind === V6) {
      need(16);
      p += 16;
      return formatIPv6(bytes, p - 16);
    }
    return kind === TEXT ? text(1) : '';
  };
  for (; index < count; index += 1) {
    need(FIXED_RECORD_BYTES);
    const bits = view.getUint16(p);
    const origin = ORIGINS[(bits >>> ORIGIN_SHIFT) & 3];
    if ((bits & ~KNOWN_BITS) !== 0 || origin === undefined) {
      invalid(`record ${index}: unknown bits ${bits.toString(16)}`);
    }
    const initiator = INITIATORS[(bits >>> INITIATOR_SHIFT) & 3];
    const kinds = view.getUint8(p + 3);
    if (kinds > 0x3f) invalid(`record ${index}: unknown address kinds`);
    const start = p;
    p += FIXED_RECORD_BYTES;
    const exporter = address(kinds >>> 4);
    const src = address((kinds >>> 2) & 3);
    const dst = address(kinds & 3);
    // A NaN or negative count from the bus would poison every total it is folded into.
    const first = checkedTime(view.getFloat64(start + 8), 'first', index);
    const last = checkedTime(view.getFloat64(start + 16), 'last', index);
    const packets = checkedCount(view.getFloat64(start + 28), 'packets', index);
    const bytesCount = checkedCount(view.getFloat64(start + 36), 'bytes', index);
    const record: {
      -readonly [K in keyof FlowRecord]: FlowRecord[K];
    } = {
      exporter,
      domain: view.getUint32(start + 4),
      first,
      last,
      proto: view.getUint8(start + 2),
      src,
      dst,
      sport: view.getUint16(start + 24),
      dport: view.getUint16(start + 26),
      packets,
      bytes: bytesCount,
      sampling: view.getUint32(start + 44),
      origin,
    };
    if (bits & TCP_FLAGS) {
      need(2);
      record.tcpFlags = view.getUint16(p);
      p += 2;
    }
    if (bits & INPUT) {
      need(4);
      record.input = view.getUint32(p);
      p += 4;
    }
    if (bits & OUTPUT) {
      need(4);
      record.output = view.getUint32(p);
      p += 4;
    }
    if (bits & REV_PACKETS) {
      need(8);
      record.revPackets = checkedCount(view.getFloat64(p), 'revPackets', index);
      p += 8;
    }
    if (bits & REV_BYTES) {
      need(8);
      record.revBytes = checkedCount(view.getFloat64(p), 'revBytes', index);
      p += 8;
    }
    if (initiator !== undefined) record.initiator = initiator;
    if (bits & ID) record.id = text(2);
    records.push(record);
  }
  if (p !== bytes.length) invalid(`${bytes.length - p} bytes after the last record`);
  return { received, records };
}

function kindOf(address: string): number {
  if (address === '') return EMPTY;
  // Only an address already in canonical form travels as bytes: decoding formats it canonically.
  if (canonicalAddress(address) !== address) return TEXT;
  return ipFamily(address) === 4 ? V4 : V6;
}

/**
 * True when `a` is an IPv4 address in canonical dotted-quad form (no leading zeros, each part at
 * most 255), writing its four bytes at `out[at]` when `out` is given. The common case, told
 * without the general address parser.
 */
function writeCanonicalV4(a: string, out: Uint8Array | undefined, at: number): boolean {
  let i = 0;
  for (let part = 0; part < 4; part += 1) {
    if (part > 0) {
      if (a.charCodeAt(i) !== 46) return false;
      i += 1;
    }
    const start = i;
    let value = 0;
    while (i < a.length && i - start < 4) {
      const c = a.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      value = value * 10 + c;
      i += 1;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || value > 255) return false;
    if (digits > 1 && a.charCodeAt(start) === 48) return false;
    if (out !== undefined) out[at + part] = value;
  }
  return i === a.length;
}

function addressBytes(
  address: string,
  texts: (Uint8Array | undefined)[],
  kinds: Uint8Array,
  at: number,
): number {
  const kind = writeCanonicalV4(address, undefined, 0) ? V4 : kindOf(address);
  kinds[at] = kind;
  if (kind === V4) return 4;
  if (kind === V6) return 16;
  if (kind === EMPTY) return 0;
  const bytes = encoder.encode(address);
  if (bytes.length > 0xff) invalid('an address text longer than 255 bytes');
  texts.push(bytes);
  return 1 + bytes.length;
}

function uint(value: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    invalid(`${field} ${value} does not fit the batch format (0..${max})`);
  }
  return value;
}

/** A packet or byte count: finite and not negative. */
function checkedCount(value: number, field: string, record?: number): number {
  if (!Number.isFinite(value) || value < 0) {
    invalid(`${where(record)}${field} ${value} is not a count (finite, 0 or more)`);
  }
  return value;
}

/** A time in UTC milliseconds: finite. */
function checkedTime(value: number, field: string, record?: number): number {
  if (!Number.isFinite(value)) invalid(`${where(record)}${field} ${value} is not a time`);
  return value;
}

function where(record: number | undefined): string {
  return record === undefined ? '' : `record ${record}: `;
}

function invalid(message: string): never {
  throw new FlowError('FLOW_BATCH_INVALID', `flow batch: ${message}`);
}
