import { formatIPv4, formatIPv6 } from './address.js';
import { FlowError } from './errors.js';
import { u16 } from './wire.js';

/** One UDP datagram found in a capture. */
export interface CapturedDatagram {
  /** 1-based packet number in the capture. */
  readonly frame: number;
  /** Capture time, Unix ms. */
  readonly timeMs: number;
  readonly source: string;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Uint8Array;
}

/** What the capture held besides export datagrams. */
export interface CaptureCounters {
  frames: number;
  udp: number;
  /** Frames that are not IPv4/IPv6 UDP (or truncated before the UDP header): skipped. */
  skipped: number;
  /**
   * Bytes of a last record cut off by the end of the file (a capture copied while still being
   * written, or a download cut short): what came before it is decoded, these are counted.
   */
  truncatedBytes: number;
}

const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_RAW_BSD = 12;
const LINKTYPE_RAW_OPENBSD = 14;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_IPV6 = 229;
const LINKTYPE_LINUX_SLL2 = 276;
/** Larger frames than this are not real (pcap's own snaplen default is 262144). */
const MAX_FRAME = 262_144;

/**
 * Reads the UDP datagrams of a classic pcap (both byte orders, µs or ns timestamps) or pcapng
 * capture held in memory. Link types: Ethernet (with VLAN tags), Linux SLL and SLL2, raw IP,
 * BSD loopback. Throws FLOW_PCAP_INVALID naming the byte offset when a header cannot be trusted.
 */
export function* readCapture(
  bytes: Uint8Array,
  name: string,
  counters: CaptureCounters,
): Generator<CapturedDatagram> {
  if (bytes.length < 4) throw invalid(name, 0, 'too short for a capture header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic === 0x0a0d0d0a) {
    yield* readPcapng(bytes, view, name, counters);
    return;
  }
  let little: boolean;
  let nanos: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) {
    little = false;
    nanos = magic === 0xa1b23c4d;
  } else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) {
    little = true;
    nanos = magic === 0x4d3cb2a1;
  } else {
    throw invalid(name, 0, `not a pcap or pcapng file (magic 0x${magic.toString(16)})`);
  }
  if (bytes.length < 24) throw invalid(name, 0, 'truncated pcap global header');
  const linkType = view.getUint32(20, little) & 0xffff;
  let p = 24;
  let frame = 0;
  while (p < bytes.length) {
    if (bytes.length - p < 16) {
      counters.truncatedBytes = bytes.length - p;
      return;
    }
    const seconds = view.getUint32(p, little);
    const fraction = view.getUint32(p + 4, little);
    const captured = view.getUint32(p + 8, little);
    if (captured > MAX_FRAME) {
      throw invalid(name, p, `packet record length ${captured} is more than ${MAX_FRAME}`);
    }
    if (p + 16 + captured > bytes.length) {
      counters.truncatedBytes = bytes.length - p;
      return;
    }
    frame += 1;
    const timeMs = seconds * 1000 + Math.floor(nanos ? fraction / 1e6 : fraction / 1e3);
    const datagram = udpOf(bytes, p + 16, p + 16 + captured, linkType, frame, timeMs, little);
    counters.frames += 1;
    if (datagram === undefined) counters.skipped += 1;
    else {
      counters.udp += 1;
      yield datagram;
    }
    p += 16 + captured;
  }
}

function* readPcapng(
  bytes: Uint8Array,
  view: DataView,
  name: string,
  counters: CaptureCounters,
): Generator<CapturedDatagram> {
  let p = 0;
  let little = true;
  const interfaces: { linkType: number; unitsPerSecond: number }[] = [];
  let frame = 0;
  while (p < bytes.length) {
    if (bytes.length - p < 12) {
      counters.truncatedBytes = bytes.length - p;
      return;
    }
    const type = view.getUint32(p, little);
    if (type === 0x0a0d0d0a) {
      // Section header: the byte-order magic decides how the rest of the section reads.
      const bom = view.getUint32(p + 8, true);
      if (bom === 0x1a2b3c4d) little = true;
      else if (bom === 0x4d3c2b1a) little = false;
      else throw invalid(name, p, 'bad pcapng byte-order magic');
      interfaces.length = 0;
    }
    const length = view.getUint32(p + 4, little);
    if (length < 12 || length % 4 !== 0) {
      throw invalid(name, p, `pcapng block length ${length} is invalid`);
    }
    if (p + length > bytes.length) {
      // A block cut off by the end of the file, unless it claims more than any frame needs.
      if (length > MAX_FRAME + 1024) {
        throw invalid(name, p, `pcapng block length ${length} runs past the end of the file`);
      }
      counters.truncatedBytes = bytes.length - p;
      return;
    }
    if (type === 1 && length >= 20) {
      interfaces.push({
        linkType: view.getUint16(p + 8, little),
        unitsPerSecond: tsResolution(bytes, view, p, length, little),
      });
    } else if (type === 6 && length >= 32) {
      const iface = interfaces[view.getUint32(p + 8, little)];
      const high = view.getUint32(p + 12, little);
      const low = view.getUint32(p + 16, little);
      const captured = view.getUint32(p + 20, little);
      if (iface === undefined || captured > length - 32)
        throw invalid(name, p, 'enhanced packet block refers to no interface or overruns');
      frame += 1;
      const units = high * 0x100000000 + low;
      const timeMs = Math.floor((units / iface.unitsPerSecond) * 1000);
      counters.frames += 1;
      const datagram = udpOf(
        bytes,
        p + 28,
        p + 28 + captured,
        iface.linkType,
        frame,
        timeMs,
        little,
      );
      if (datagram === undefined) counters.skipped += 1;
      else {
        counters.udp += 1;
        yield datagram;
      }
    }
    p += length;
  }
}

/** if_tsresol option (code 9): 10^-n or 2^-n seconds; default microseconds. */
function tsResolution(
  bytes: Uint8Array,
  view: DataView,
  block: number,
  length: number,
  little: boolean,
): number {
  let p = block + 16;
  const end = block + length - 4;
  while (end - p >= 4) {
    const code = view.getUint16(p, little);
    const optionLength = view.getUint16(p + 2, little);
    if (code === 0) break;
    if (code === 9 && optionLength >= 1) {
      const value = bytes[p + 4] ?? 6;
      const exponent = value & 0x7f;
      if (exponent > 30) return 1e6;
      return (value & 0x80) !== 0 ? 2 ** exponent : 10 ** exponent;
    }
    p += 4 + optionLength + ((4 - (optionLength % 4)) % 4);
  }
  return 1e6;
}

function udpOf(
  bytes: Uint8Array,
  start: number,
  end: number,
  linkType: number,
  frame: number,
  timeMs: number,
  little: boolean,
): CapturedDatagram | undefined {
  let p = start;
  let etherType: number;
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      p += 12;
      for (
        let tags = 0;
        tags < 4 && p + 2 <= end && (u16(bytes, p) === 0x8100 || u16(bytes, p) === 0x88a8);
        tags += 1
      )
        p += 4;
      if (p + 2 > end) return undefined;
      etherType = u16(bytes, p);
      p += 2;
      break;
    case LINKTYPE_LINUX_SLL:
      if (end - p < 16) return undefined;
      etherType = u16(bytes, p + 14);
      p += 16;
      break;
    case LINKTYPE_LINUX_SLL2:
      if (end - p < 20) return undefined;
      etherType = u16(bytes, p);
      p += 20;
      break;
    case LINKTYPE_NULL: {
      if (end - p < 4) return undefined;
      const family = little ? (bytes[p] ?? 0) | ((bytes[p + 1] ?? 0) << 8) : u16(bytes, p + 2);
      etherType =
        family === 2 ? 0x0800 : family === 24 || family === 28 || family === 30 ? 0x86dd : -1;
      p += 4;
      break;
    }
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_BSD:
    case LINKTYPE_RAW_OPENBSD:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6: {
      const version = p < end ? (bytes[p] ?? 0) >> 4 : 0;
      etherType = version === 4 ? 0x0800 : version === 6 ? 0x86dd : -1;
      break;
    }
    default:
      return undefined;
  }
  let source: string;
  let transport: number;
  let packetEnd = end;
  if (etherType === 0x0800) {
    if (end - p < 20) return undefined;
    const headerLength = ((bytes[p] ?? 0) & 0x0f) * 4;
    if ((bytes[p + 9] ?? 0) !== 17 || headerLength < 20 || (u16(bytes, p + 6) & 0x3fff) !== 0)
      return undefined;
    source = formatIPv4(bytes, p + 12);
    const total = u16(bytes, p + 2);
    if (total >= headerLength && p + total <= end) packetEnd = p + total;
    transport = p + headerLength;
  } else if (etherType === 0x86dd) {
    // Only UDP directly after the fixed header: exporters do not send extension headers.
    if (end - p < 40 || (bytes[p + 6] ?? 0) !== 17) return undefined;
    source = formatIPv6(bytes, p + 8);
    const payload = u16(bytes, p + 4);
    if (p + 40 + payload <= end) packetEnd = p + 40 + payload;
    transport = p + 40;
  } else {
    return undefined;
  }
  if (packetEnd - transport < 8) return undefined;
  const udpLength = u16(bytes, transport + 4);
  const payloadEnd =
    udpLength >= 8 && transport + udpLength <= packetEnd ? transport + udpLength : packetEnd;
  return {
    frame,
    timeMs,
    source,
    sourcePort: u16(bytes, transport),
    destinationPort: u16(bytes, transport + 2),
    payload: bytes.subarray(transport + 8, payloadEnd),
  };
}

function invalid(name: string, offset: number, message: string): FlowError {
  return new FlowError('FLOW_PCAP_INVALID', `${name}: byte ${offset}: ${message}`, {
    where: `${name}@${offset}`,
  });
}
