import { formatIPv4, formatIPv6 } from './address.js';
import { u16 } from './wire.js';

/** What a sampled packet header tells about its flow (sFlow raw packet header, pcap frames). */
export interface PacketSummary {
  proto: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** TCP flags, -1 when not TCP or truncated before them. */
  tcpFlags: number;
  /** Offset and length of the transport payload (UDP only is used by the pcap reader). */
  payloadOffset: number;
  payloadLength: number;
}

const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
/** VLAN tags accepted in a row (QinQ and a little more); a loop of tags is refused. */
const MAX_VLAN_TAGS = 4;
/** IPv6 extension headers walked before giving up. */
const MAX_IPV6_EXTENSIONS = 8;

/** An Ethernet frame (with up to four 802.1Q/802.1ad tags) carrying IPv4 or IPv6. */
export function parseEthernet(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: PacketSummary,
): boolean {
  let p = start + 12;
  for (let tags = 0; ; tags += 1) {
    if (p + 2 > end) return false;
    const type = u16(bytes, p);
    if ((type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ) && tags < MAX_VLAN_TAGS) {
      p += 4;
      continue;
    }
    return parseEtherType(type, bytes, p + 2, end, out);
  }
}

/** Dispatches on an EtherType. */
export function parseEtherType(
  type: number,
  bytes: Uint8Array,
  start: number,
  end: number,
  out: PacketSummary,
): boolean {
  if (type === ETHERTYPE_IPV4) return parseIPv4(bytes, start, end, out);
  if (type === ETHERTYPE_IPV6) return parseIPv6(bytes, start, end, out);
  return false;
}

/** An IP packet, version from its first nibble. */
export function parseIP(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: PacketSummary,
): boolean {
  if (start >= end) return false;
  const version = (bytes[start] ?? 0) >> 4;
  if (version === 4) return parseIPv4(bytes, start, end, out);
  if (version === 6) return parseIPv6(bytes, start, end, out);
  return false;
}

function parseIPv4(bytes: Uint8Array, start: number, end: number, out: PacketSummary): boolean {
  if (end - start < 20 || (bytes[start] ?? 0) >> 4 !== 4) return false;
  const headerLength = ((bytes[start] ?? 0) & 0x0f) * 4;
  if (headerLength < 20 || start + headerLength > end) return false;
  out.proto = bytes[start + 9] ?? 0;
  out.src = formatIPv4(bytes, start + 12);
  out.dst = formatIPv4(bytes, start + 16);
  // Later fragments carry no transport header.
  const fragmentOffset = u16(bytes, start + 6) & 0x1fff;
  const totalLength = u16(bytes, start + 2);
  const packetEnd =
    totalLength >= headerLength && start + totalLength <= end ? start + totalLength : end;
  if (fragmentOffset !== 0) return transportless(out);
  return parseTransport(bytes, start + headerLength, packetEnd, out);
}

function parseIPv6(bytes: Uint8Array, start: number, end: number, out: PacketSummary): boolean {
  if (end - start < 40 || (bytes[start] ?? 0) >> 4 !== 6) return false;
  out.src = formatIPv6(bytes, start + 8);
  out.dst = formatIPv6(bytes, start + 24);
  const payloadLength = u16(bytes, start + 4);
  const packetEnd =
    start + 40 + payloadLength <= end && payloadLength > 0 ? start + 40 + payloadLength : end;
  let next = bytes[start + 6] ?? 0;
  let p = start + 40;
  for (let i = 0; i < MAX_IPV6_EXTENSIONS; i += 1) {
    // RFC 8200 §4: hop-by-hop, routing, destination options (length in 8-byte units).
    if (next === 0 || next === 43 || next === 60) {
      if (p + 2 > packetEnd) break;
      const following = bytes[p] ?? 0;
      p += ((bytes[p + 1] ?? 0) + 1) * 8;
      next = following;
      continue;
    }
    if (next === 44) {
      // Fragment header: only the first fragment has the transport header.
      if (p + 8 > packetEnd) break;
      const following = bytes[p] ?? 0;
      const offset = u16(bytes, p + 2) >> 3;
      p += 8;
      next = following;
      if (offset !== 0) {
        out.proto = next;
        return transportless(out);
      }
      continue;
    }
    break;
  }
  out.proto = next;
  return parseTransport(bytes, p, packetEnd, out);
}

function transportless(out: PacketSummary): boolean {
  out.sport = 0;
  out.dport = 0;
  out.tcpFlags = -1;
  out.payloadOffset = -1;
  out.payloadLength = 0;
  return true;
}

function parseTransport(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: PacketSummary,
): boolean {
  transportless(out);
  const proto = out.proto;
  if (proto === 6) {
    if (end - start >= 4) {
      out.sport = u16(bytes, start);
      out.dport = u16(bytes, start + 2);
    }
    if (end - start >= 14) out.tcpFlags = bytes[start + 13] ?? 0;
  } else if (proto === 17 || proto === 132) {
    if (end - start >= 4) {
      out.sport = u16(bytes, start);
      out.dport = u16(bytes, start + 2);
    }
    if (proto === 17 && end - start >= 8) {
      out.payloadOffset = start + 8;
      out.payloadLength = end - start - 8;
    }
  } else if (proto === 1 || proto === 58) {
    if (end - start >= 2) out.dport = (bytes[start] ?? 0) * 256 + (bytes[start + 1] ?? 0);
  }
  return true;
}

/** A fresh summary to be filled by the parsers (reuse it across packets). */
export function emptyPacketSummary(): PacketSummary {
  return {
    proto: 0,
    src: '',
    dst: '',
    sport: 0,
    dport: 0,
    tcpFlags: -1,
    payloadOffset: -1,
    payloadLength: 0,
  };
}
