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

/** Fields whose length must be exactly one of these, or the field is skipped (not trusted). */
function kindOf(enterprise: number, id: number, length: number): FieldKind {
  if (enterprise === REVERSE_PEN) {
    switch (id) {
      case 1:
      case 85:
        return unsigned(length, FieldKind.RevBytes);
      case 2:
      case 86:
        return unsigned(length, FieldKind.RevPackets);
      case 6:
        return unsigned(length, FieldKind.RevTcpFlags);
      default:
        return FieldKind.Skip;
    }
  }
  if (enterprise === CERT_PEN) {
    if (id === 14) return unsigned(length, FieldKind.InitialTcpFlags);
    if (id === (14 | 0x4000)) return unsigned(length, FieldKind.RevInitialTcpFlags);
    return FieldKind.Skip;
  }
  if (enterprise !== 0) return FieldKind.Skip;
  switch (id) {
    case 1:
      return unsigned(length, FieldKind.Bytes);
    case 2:
      return unsigned(length, FieldKind.Packets);
    case 85:
      return unsigned(length, FieldKind.BytesTotal);
    case 86:
      return unsigned(length, FieldKind.PacketsTotal);
    case 4:
      return length === 1 ? FieldKind.Proto : FieldKind.Skip;
    case 6:
      return unsigned(length, FieldKind.TcpFlags);
    case 7:
      return length === 2 ? FieldKind.SrcPort : FieldKind.Skip;
    case 11:
      return length === 2 ? FieldKind.DstPort : FieldKind.Skip;
    // udp/tcpSource/DestinationPort: used only when the generic port is absent or zero
    // (Cisco NBAR sends both, the specific one zero for the other protocol).
    case 180:
    case 182:
      return length === 2 ? FieldKind.SrcPortSpecific : FieldKind.Skip;
    case 181:
    case 183:
      return length === 2 ? FieldKind.DstPortSpecific : FieldKind.Skip;
    case 8:
      return length === 4 ? FieldKind.SrcV4 : FieldKind.Skip;
    case 12:
      return length === 4 ? FieldKind.DstV4 : FieldKind.Skip;
    case 27:
      return length === 16 ? FieldKind.SrcV6 : FieldKind.Skip;
    case 28:
      return length === 16 ? FieldKind.DstV6 : FieldKind.Skip;
    case 10:
      return unsigned(length, FieldKind.Input);
    case 14:
      return unsigned(length, FieldKind.Output);
    case 21:
      return length === 4 ? FieldKind.SysUpTimeEnd : FieldKind.Skip;
    case 22:
      return length === 4 ? FieldKind.SysUpTimeStart : FieldKind.Skip;
    case 32:
    case 139:
      return length === 2 ? FieldKind.IcmpTypeCode : FieldKind.Skip;
    case 176:
    case 178:
      return length === 1 ? FieldKind.IcmpType : FieldKind.Skip;
    case 177:
    case 179:
      return length === 1 ? FieldKind.IcmpCode : FieldKind.Skip;
    case 150:
      return length === 4 ? FieldKind.StartSeconds : FieldKind.Skip;
    case 151:
      return length === 4 ? FieldKind.EndSeconds : FieldKind.Skip;
    case 152:
      return length === 8 ? FieldKind.StartMs : FieldKind.Skip;
    case 153:
      return length === 8 ? FieldKind.EndMs : FieldKind.Skip;
    case 154:
    case 156:
      return length === 8 ? FieldKind.StartNtp : FieldKind.Skip;
    case 155:
    case 157:
      return length === 8 ? FieldKind.EndNtp : FieldKind.Skip;
    case 158:
      return length === 4 ? FieldKind.StartDeltaUs : FieldKind.Skip;
    case 159:
      return length === 4 ? FieldKind.EndDeltaUs : FieldKind.Skip;
    case 160:
      return length === 8 ? FieldKind.SystemInitMs : FieldKind.Skip;
    case 34:
    case 50:
      return unsigned(
        length,
        id === 34 ? FieldKind.SamplingInterval : FieldKind.SamplerRandomInterval,
      );
    case 48:
      return unsigned(length, FieldKind.SamplerId);
    case 302:
      return unsigned(length, FieldKind.SelectorId);
    case 305:
      return unsigned(length, FieldKind.SamplingPacketInterval);
    case 306:
      return unsigned(length, FieldKind.SamplingPacketSpace);
    case 239:
      return length === 1 ? FieldKind.BiflowDirection : FieldKind.Skip;
    case 231:
      return unsigned(length, FieldKind.InitiatorBytes);
    case 232:
      return unsigned(length, FieldKind.ResponderBytes);
    case 298:
      return unsigned(length, FieldKind.InitiatorPackets);
    case 299:
      return unsigned(length, FieldKind.ResponderPackets);
    case 322:
      return length === 4 ? FieldKind.ObservationSeconds : FieldKind.Skip;
    case 323:
      return length === 8 ? FieldKind.ObservationMs : FieldKind.Skip;
    case 161:
      return FieldKind.Skip;
    default:
      return FieldKind.Skip;
  }
}

/** RFC 7011 §6.2 reduced-size encoding: unsigned integers may be sent in 1..8 bytes. */
function unsigned(length: number, kind: FieldKind): FieldKind {
  return length >= 1 && length <= 8 ? kind : FieldKind.Skip;
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
