import type { RecordFields } from './record-fields.js';
import { FieldKind, OP_SIZE, VARIABLE_LENGTH, type Template } from './template.js';
import { ntpToUnixMs, readUint, u32 } from './wire.js';

/**
 * Reads one data record's fields at bytes[p] into `f` (reset by the caller) with the template's
 * read operations; returns the offset after the record, or -1 when it does not fit in
 * bytes[p, end) (a variable-length field running past the set). For a fixed-length template the
 * caller has checked that `fixedLength` bytes remain, and only the used fields are visited.
 */
export function readRecordFields(
  bytes: Uint8Array,
  p: number,
  end: number,
  template: Template,
  f: RecordFields,
): number {
  const ops = template.ops;
  const fixed = template.fixedLength >= 0;
  let q = p;
  for (let i = 0; i < ops.length; i += OP_SIZE) {
    const kind = ops[i] ?? 0;
    let length = ops[i + 1] ?? 0;
    let at: number;
    if (fixed) {
      at = p + (ops[i + 2] ?? 0);
    } else {
      if (length === VARIABLE_LENGTH) {
        // RFC 7011 §7: one length byte, or 255 followed by a two-byte length.
        if (q >= end) return -1;
        length = bytes[q] ?? 0;
        q += 1;
        if (length === 255) {
          if (q + 2 > end) return -1;
          length = ((bytes[q] ?? 0) << 8) | (bytes[q + 1] ?? 0);
          q += 2;
        }
      }
      if (q + length > end) return -1;
      at = q;
      q += length;
    }
    // The ops hold FieldKind values written by compileTemplate only.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
    switch (kind as FieldKind) {
      case FieldKind.Skip:
        break;
      case FieldKind.Bytes:
        f.bytes = readUint(bytes, at, length);
        break;
      case FieldKind.Packets:
        f.packets = readUint(bytes, at, length);
        break;
      case FieldKind.BytesTotal:
        f.bytesTotal = readUint(bytes, at, length);
        break;
      case FieldKind.PacketsTotal:
        f.packetsTotal = readUint(bytes, at, length);
        break;
      case FieldKind.Proto:
        f.proto = bytes[at] ?? 0;
        break;
      case FieldKind.TcpFlags:
        f.tcpFlags = readUint(bytes, at, length);
        break;
      case FieldKind.SrcPort:
        f.sport = readUint(bytes, at, 2);
        break;
      case FieldKind.DstPort:
        f.dport = readUint(bytes, at, 2);
        break;
      case FieldKind.SrcV4:
        if (f.srcFamily === 0) {
          f.srcFamily = 4;
          f.src[0] = u32(bytes, at);
        }
        break;
      case FieldKind.DstV4:
        if (f.dstFamily === 0) {
          f.dstFamily = 4;
          f.dst[0] = u32(bytes, at);
        }
        break;
      case FieldKind.SrcV6:
        if (f.srcFamily === 0) {
          f.srcFamily = 6;
          readWords(bytes, at, f.src);
        }
        break;
      case FieldKind.DstV6:
        if (f.dstFamily === 0) {
          f.dstFamily = 6;
          readWords(bytes, at, f.dst);
        }
        break;
      case FieldKind.Input:
        f.input = readUint(bytes, at, length);
        break;
      case FieldKind.Output:
        f.output = readUint(bytes, at, length);
        break;
      case FieldKind.SysUpTimeEnd:
        f.sysEnd = readUint(bytes, at, 4);
        break;
      case FieldKind.SysUpTimeStart:
        f.sysStart = readUint(bytes, at, 4);
        break;
      case FieldKind.IcmpTypeCode:
        f.icmpTypeCode = readUint(bytes, at, 2);
        break;
      case FieldKind.IcmpType:
        f.icmpType = bytes[at] ?? 0;
        break;
      case FieldKind.IcmpCode:
        f.icmpCode = bytes[at] ?? 0;
        break;
      case FieldKind.StartSeconds:
        f.start = readUint(bytes, at, 4) * 1000;
        break;
      case FieldKind.EndSeconds:
        f.end = readUint(bytes, at, 4) * 1000;
        break;
      case FieldKind.StartMs:
        f.start = readUint(bytes, at, 8);
        break;
      case FieldKind.EndMs:
        f.end = readUint(bytes, at, 8);
        break;
      case FieldKind.StartNtp:
        f.start = ntpToUnixMs(bytes, at);
        break;
      case FieldKind.EndNtp:
        f.end = ntpToUnixMs(bytes, at);
        break;
      case FieldKind.StartDeltaUs:
        f.startDeltaUs = readUint(bytes, at, 4);
        break;
      case FieldKind.EndDeltaUs:
        f.endDeltaUs = readUint(bytes, at, 4);
        break;
      case FieldKind.SystemInitMs:
        f.systemInitMs = readUint(bytes, at, 8);
        break;
      case FieldKind.SamplingInterval:
        f.samplingInterval = readUint(bytes, at, length);
        break;
      case FieldKind.SamplerId:
        f.samplerId = readUint(bytes, at, length);
        break;
      case FieldKind.SamplerRandomInterval:
        f.samplerRandom = readUint(bytes, at, length);
        break;
      case FieldKind.SamplingPacketInterval:
        f.packetInterval = readUint(bytes, at, length);
        break;
      case FieldKind.SamplingPacketSpace:
        f.packetSpace = readUint(bytes, at, length);
        break;
      case FieldKind.SelectorId:
        f.selectorId = readUint(bytes, at, length);
        break;
      case FieldKind.BiflowDirection:
        f.biflowDirection = bytes[at] ?? 0;
        break;
      case FieldKind.RevBytes:
        f.revBytes = readUint(bytes, at, length);
        break;
      case FieldKind.RevPackets:
        f.revPackets = readUint(bytes, at, length);
        break;
      case FieldKind.RevTcpFlags:
        f.revTcpFlags = readUint(bytes, at, length);
        break;
      case FieldKind.InitiatorBytes:
        f.initiatorBytes = readUint(bytes, at, length);
        break;
      case FieldKind.ResponderBytes:
        f.responderBytes = readUint(bytes, at, length);
        break;
      case FieldKind.InitiatorPackets:
        f.initiatorPackets = readUint(bytes, at, length);
        break;
      case FieldKind.ResponderPackets:
        f.responderPackets = readUint(bytes, at, length);
        break;
      case FieldKind.ObservationMs:
        f.observation = readUint(bytes, at, 8);
        break;
      case FieldKind.ObservationSeconds:
        f.observation = readUint(bytes, at, 4) * 1000;
        break;
      case FieldKind.InitialTcpFlags:
        f.initialFlags = readUint(bytes, at, length);
        break;
      case FieldKind.RevInitialTcpFlags:
        f.revInitialFlags = readUint(bytes, at, length);
        break;
      case FieldKind.SystemUpTimeMs:
        break;
      case FieldKind.SrcPortSpecific:
        if (f.sport === 0) f.sport = readUint(bytes, at, 2);
        break;
      case FieldKind.DstPortSpecific:
        if (f.dport === 0) f.dport = readUint(bytes, at, 2);
        break;
    }
  }
  return fixed ? p + template.fixedLength : q;
}

/** An IPv6 address's 16 bytes as four big-endian 32-bit words. */
function readWords(bytes: Uint8Array, at: number, words: Uint32Array): void {
  words[0] = u32(bytes, at);
  words[1] = u32(bytes, at + 4);
  words[2] = u32(bytes, at + 8);
  words[3] = u32(bytes, at + 12);
}
