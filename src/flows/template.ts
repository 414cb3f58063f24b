/**
 * NetFlow v9 (RFC 3954 §5.2–5.3) and IPFIX (RFC 7011 §3.4.1–3.4.2) templates, compiled once into
 * a flat list of read operations so that decoding a data record is one switch per used field and
 * no allocation.
 */

/** What the decoder does with a field; everything not listed is skipped by its length. */
export const enum FieldKind {
  Skip = 0,
  Bytes,
  Packets,
  BytesTotal,
  PacketsTotal,
  Proto,
  TcpFlags,
  SrcPort,
  DstPort,
  SrcV4,
  DstV4,
  SrcV6,
  DstV6,
  Input,
  Output,
  SysUpTimeEnd,
  SysUpTimeStart,
  IcmpTypeCode,
  IcmpType,
  IcmpCode,
  StartSeconds,
  EndSeconds,
  StartMs,
  EndMs,
  StartNtp,
  EndNtp,
  StartDeltaUs,
  EndDeltaUs,
  SystemInitMs,
  SamplingInterval,
  SamplerId,
  SamplerRandomInterval,
  SamplingPacketInterval,
  SamplingPacketSpace,
  SelectorId,
  BiflowDirection,
  RevBytes,
  RevPackets,
  RevTcpFlags,
  InitiatorBytes,
  ResponderBytes,
  InitiatorPackets,
  ResponderPackets,
  ObservationMs,
  ObservationSeconds,
  InitialTcpFlags,
  RevInitialTcpFlags,
  SystemUpTimeMs,
  SrcPortSpecific,
  DstPortSpecific,
}

/** RFC 5103 §6.1: the IANA-assigned enterprise number of reverse Information Elements. */
export const REVERSE_PEN = 29305;
/** CERT (YAF) private enterprise number: initialTCPFlags is its element 14. */
const CERT_PEN = 6871;
/** RFC 7011 §7: a field length of 65535 announces a variable-length field. */
export const VARIABLE_LENGTH = 65535;

/** How a field's length qualifies it: exactly this many bytes, or UNSIGNED. */
type LengthRule = number;
/** RFC 7011 §6.2 reduced-size encoding: an unsigned integer may be sent in 1..8 bytes. */
const UNSIGNED: LengthRule = 0;

/** What the decoder reads a field as, and the length it must have to be trusted. */
interface FieldRule {
  readonly kind: FieldKind;
  readonly length: LengthRule;
}

const rule = (kind: FieldKind, length: LengthRule): FieldRule => ({ kind, length });

/** IANA Information Elements (enterprise 0; NetFlow v9 uses the same numbers) by element id. */
const IANA_FIELDS: ReadonlyMap<number, FieldRule> = new Map([
  [1, rule(FieldKind.Bytes, UNSIGNED)], // octetDeltaCount
  [2, rule(FieldKind.Packets, UNSIGNED)], // packetDeltaCount
  [85, rule(FieldKind.BytesTotal, UNSIGNED)], // octetTotalCount
  [86, rule(FieldKind.PacketsTotal, UNSIGNED)], // packetTotalCount
  [4, rule(FieldKind.Proto, 1)], // protocolIdentifier
  [6, rule(FieldKind.TcpFlags, UNSIGNED)], // tcpControlBits
  [7, rule(FieldKind.SrcPort, 2)], // sourceTransportPort
  [11, rule(FieldKind.DstPort, 2)], // destinationTransportPort
  // udp/tcpSource/DestinationPort: used only when the generic port is absent or zero
  // (Cisco NBAR sends both, the specific one zero for the other protocol).
  [180, rule(FieldKind.SrcPortSpecific, 2)], // udpSourcePort
  [182, rule(FieldKind.SrcPortSpecific, 2)], // tcpSourcePort
  [181, rule(FieldKind.DstPortSpecific, 2)], // udpDestinationPort
  [183, rule(FieldKind.DstPortSpecific, 2)], // tcpDestinationPort
  [8, rule(FieldKind.SrcV4, 4)], // sourceIPv4Address
  [12, rule(FieldKind.DstV4, 4)], // destinationIPv4Address
  [27, rule(FieldKind.SrcV6, 16)], // sourceIPv6Address
  [28, rule(FieldKind.DstV6, 16)], // destinationIPv6Address
  [10, rule(FieldKind.Input, UNSIGNED)], // ingressInterface
  [14, rule(FieldKind.Output, UNSIGNED)], // egressInterface
  [21, rule(FieldKind.SysUpTimeEnd, 4)], // flowEndSysUpTime
  [22, rule(FieldKind.SysUpTimeStart, 4)], // flowStartSysUpTime
  [32, rule(FieldKind.IcmpTypeCode, 2)], // icmpTypeCodeIPv4
  [139, rule(FieldKind.IcmpTypeCode, 2)], // icmpTypeCodeIPv6
  [176, rule(FieldKind.IcmpType, 1)], // icmpTypeIPv4
  [178, rule(FieldKind.IcmpType, 1)], // icmpTypeIPv6
  [177, rule(FieldKind.IcmpCode, 1)], // icmpCodeIPv4
  [179, rule(FieldKind.IcmpCode, 1)], // icmpCodeIPv6
  [150, rule(FieldKind.StartSeconds, 4)], // flowStartSeconds
  [151, rule(FieldKind.EndSeconds, 4)], // flowEndSeconds
  [152, rule(FieldKind.StartMs, 8)], // flowStartMilliseconds
  [153, rule(FieldKind.EndMs, 8)], // flowEndMilliseconds
  [154, rule(FieldKind.StartNtp, 8)], // flowStartMicroseconds
  [156, rule(FieldKind.StartNtp, 8)], // flowStartNanoseconds
  [155, rule(FieldKind.EndNtp, 8)], // flowEndMicroseconds
  [157, rule(FieldKind.EndNtp, 8)], // flowEndNanoseconds
  [158, rule(FieldKind.StartDeltaUs, 4)], // flowStartDeltaMicroseconds
  [159, rule(FieldKind.EndDeltaUs, 4)], // flowEndDeltaMicroseconds
  [160, rule(FieldKind.SystemInitMs, 8)], // systemInitTimeMilliseconds
  [34, rule(FieldKind.SamplingInterval, UNSIGNED)], // samplingInterval
  [50, rule(FieldKind.SamplerRandomInterval, UNSIGNED)], // samplerRandomInterval
  [48, rule(FieldKind.SamplerId, UNSIGNED)], // samplerId (NetFlow v9 FLOW_SAMPLER_ID)
  [302, rule(FieldKind.SelectorId, UNSIGNED)], // selectorId
  [305, rule(FieldKind.SamplingPacketInterval, UNSIGNED)], // samplingPacketInterval
  [306, rule(FieldKind.SamplingPacketSpace, UNSIGNED)], // samplingPacketSpace
  [239, rule(FieldKind.BiflowDirection, 1)], // biflowDirection
  [231, rule(FieldKind.InitiatorBytes, UNSIGNED)], // initiatorOctets
  [232, rule(FieldKind.ResponderBytes, UNSIGNED)], // responderOctets
  [298, rule(FieldKind.InitiatorPackets, UNSIGNED)], // initiatorPackets
  [299, rule(FieldKind.ResponderPackets, UNSIGNED)], // responderPackets
  [322, rule(FieldKind.ObservationSeconds, 4)], // observationTimeSeconds
  [323, rule(FieldKind.ObservationMs, 8)], // observationTimeMilliseconds
]);

/** RFC 5103 §6.1 reverse Information Elements: the reverse direction's counters and flags. */
const REVERSE_FIELDS: ReadonlyMap<number, FieldRule> = new Map([
  [1, rule(FieldKind.RevBytes, UNSIGNED)], // reverseOctetDeltaCount
  [85, rule(FieldKind.RevBytes, UNSIGNED)], // reverseOctetTotalCount
  [2, rule(FieldKind.RevPackets, UNSIGNED)], // reversePacketDeltaCount
  [86, rule(FieldKind.RevPackets, UNSIGNED)], // reversePacketTotalCount
  [6, rule(FieldKind.RevTcpFlags, UNSIGNED)], // reverseTcpControlBits
]);

/** CERT (YAF) elements; bit 0x4000 marks a private element's reverse (RFC 5103 §6.2). */
const CERT_FIELDS: ReadonlyMap<number, FieldRule> = new Map([
  [14, rule(FieldKind.InitialTcpFlags, UNSIGNED)], // initialTCPFlags
  [14 | 0x4000, rule(FieldKind.RevInitialTcpFlags, UNSIGNED)], // reverseInitialTCPFlags
]);

/** The elements the decoder reads, by enterprise number; every other field is skipped. */
const FIELDS: ReadonlyMap<number, ReadonlyMap<number, FieldRule>> = new Map([
  [0, IANA_FIELDS],
  [REVERSE_PEN, REVERSE_FIELDS],
  [CERT_PEN, CERT_FIELDS],
]);

/** What the decoder does with a field: its kind when its length is one it trusts, else Skip. */
function kindOf(enterprise: number, id: number, length: number): FieldKind {
  const known = FIELDS.get(enterprise)?.get(id);
  if (known === undefined) return FieldKind.Skip;
  const fits = known.length === UNSIGNED ? length >= 1 && length <= 8 : length === known.length;
  return fits ? known.kind : FieldKind.Skip;
}

/** One compiled template. */
export interface Template {
  readonly id: number;
  /** Options templates carry exporter metadata (sampling, system init time), not flows. */
  readonly options: boolean;
  readonly scopeCount: number;
  readonly kinds: Uint8Array;
  readonly lengths: Uint16Array;
  /**
   * The record reader's operations, OP_SIZE numbers each: kind, length, offset in the record.
   * A fixed-length template lists only the fields the decoder uses, at their offsets; one with
   * variable-length fields lists every field in order (offsets are found while reading).
   */
  readonly ops: Int32Array;
  /** Record length when no field is variable-length, else -1. */
  readonly fixedLength: number;
  /** The smallest a record can be (variable-length fields at one length byte). */
  readonly minLength: number;
  /** Whether the template holds any field the decoder uses (else its records are skipped). */
  readonly useful: boolean;
  /** When the template was last (re)announced, ms. */
  refreshedAt: number;
}

export interface TemplateField {
  readonly id: number;
  readonly enterprise: number;
  readonly length: number;
}

/** Numbers per operation in {@link Template.ops}: kind, length, offset. */
export const OP_SIZE = 3;

/** Compiles a field list; `variableAllowed` is false for NetFlow v9 (RFC 3954 has no varlen). */
export function compileTemplate(
  id: number,
  fields: readonly TemplateField[],
  options: { options: boolean; scopeCount: number; now: number },
): Template {
  const kinds = new Uint8Array(fields.length);
  const lengths = new Uint16Array(fields.length);
  let fixed = 0;
  let min = 0;
  let variable = false;
  let useful = false;
  for (let i = 0; i < fields.length; i += 1) {
    const field = fields[i] ?? { id: 0, enterprise: 0, length: 0 };
    const kind =
      field.length === VARIABLE_LENGTH
        ? FieldKind.Skip
        : kindOf(field.enterprise, field.id, field.length);
    kinds[i] = kind;
    lengths[i] = field.length;
    if (kind !== FieldKind.Skip) useful = true;
    if (field.length === VARIABLE_LENGTH) {
      variable = true;
      min += 1;
    } else {
      fixed += field.length;
      min += field.length;
    }
  }
  return {
    id,
    options: options.options,
    scopeCount: options.scopeCount,
    kinds,
    lengths,
    ops: readOps(kinds, lengths, variable),
    fixedLength: variable ? -1 : fixed,
    minLength: min,
    useful,
    refreshedAt: options.now,
  };
}

function readOps(kinds: Uint8Array, lengths: Uint16Array, variable: boolean): Int32Array {
  const ops: number[] = [];
  let offset = 0;
  for (let i = 0; i < kinds.length; i += 1) {
    const kind = kinds[i] ?? 0;
    const length = lengths[i] ?? 0;
    // 0 is FieldKind.Skip: a fixed-length record's skipped fields need no operation.
    if (variable || kind !== 0) ops.push(kind, length, offset);
    offset += length;
  }
  return Int32Array.from(ops);
}

/** Two templates with the same fields (a refresh, not a redefinition). */
export function sameTemplate(a: Template, b: Template): boolean {
  if (
    a.options !== b.options ||
    a.scopeCount !== b.scopeCount ||
    a.lengths.length !== b.lengths.length
  ) {
    return false;
  }
  for (let i = 0; i < a.lengths.length; i += 1) {
    if (a.lengths[i] !== b.lengths[i] || a.kinds[i] !== b.kinds[i]) return false;
  }
  return true;
}
