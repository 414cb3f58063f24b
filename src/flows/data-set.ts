import { formatIPv4, formatIPv6 } from './address.js';
import type { DecodeCounters } from './decode-counters.js';
import type { ExportContext, ExporterSession } from './exporter-session.js';
import type { FlowOrigin, FlowRecord } from './flow-record.js';
import { originFromBiflowDirection, originFromTcpFlags } from './origin.js';
import { FieldKind, VARIABLE_LENGTH, type Template } from './template.js';
import { isZeroPadding, ntpToUnixMs, readUint } from './wire.js';

/** Records per data set beyond which the rest is dropped: a guard against 1-byte templates. */
const MAX_RECORDS_PER_SET = 65_536;
const UNSET = -1;

/** Per-record values, reset for each record; kept in one object to avoid allocations. */
class Scratch {
  bytes = UNSET;
  packets = UNSET;
  bytesTotal = UNSET;
  packetsTotal = UNSET;
  proto = 0;
  tcpFlags = UNSET;
  sport = 0;
  dport = 0;
  src = '';
  dst = '';
  input = UNSET;
  output = UNSET;
  sysEnd = UNSET;
  sysStart = UNSET;
  icmpTypeCode = UNSET;
  icmpType = UNSET;
  icmpCode = UNSET;
  start = UNSET;
  end = UNSET;
  startDeltaUs = UNSET;
  endDeltaUs = UNSET;
  systemInitMs = UNSET;
  samplingInterval = UNSET;
  samplerId = UNSET;
  samplerRandom = UNSET;
  packetInterval = UNSET;
  packetSpace = UNSET;
  selectorId = UNSET;
  biflowDirection = UNSET;
  revBytes = UNSET;
  revPackets = UNSET;
  revTcpFlags = UNSET;
  initiatorBytes = UNSET;
  responderBytes = UNSET;
  initiatorPackets = UNSET;
  responderPackets = UNSET;
  observation = UNSET;
  initialFlags = UNSET;
  revInitialFlags = UNSET;

  reset(): void {
    this.bytes = this.packets = this.bytesTotal = this.packetsTotal = UNSET;
    this.proto = this.sport = this.dport = 0;
    this.tcpFlags = this.input = this.output = this.sysEnd = this.sysStart = UNSET;
    this.src = this.dst = '';
    this.icmpTypeCode = this.icmpType = this.icmpCode = UNSET;
    this.start = this.end = this.startDeltaUs = this.endDeltaUs = this.systemInitMs = UNSET;
    this.samplingInterval = this.samplerId = this.samplerRandom = UNSET;
    this.packetInterval = this.packetSpace = this.selectorId = this.biflowDirection = UNSET;
    this.revBytes = this.revPackets = this.revTcpFlags = UNSET;
    this.initiatorBytes =
      this.responderBytes =
      this.initiatorPackets =
      this.responderPackets =
        UNSET;
    this.observation = this.initialFlags = this.revInitialFlags = UNSET;
  }
}

const s = new Scratch();

/**
 * Reads one record's fields into the scratch; returns the offset after it, or -1 when the
 * record does not fit (a variable-length field running past the set).
 */
function readFields(bytes: Uint8Array, offset: number, end: number, template: Template): number {
  const { kinds, lengths } = template;
  let p = offset;
  for (let i = 0; i < kinds.length; i += 1) {
    let length = lengths[i] ?? 0;
    if (length === VARIABLE_LENGTH) {
      // RFC 7011 §7: one length byte, or 255 followed by a two-byte length.
      if (p >= end) return -1;
      length = bytes[p] ?? 0;
      p += 1;
      if (length === 255) {
        if (p + 2 > end) return -1;
        length = ((bytes[p] ?? 0) << 8) | (bytes[p + 1] ?? 0);
        p += 2;
      }
    }
    if (p + length > end) return -1;
    // The kinds array holds FieldKind values written by compileTemplate only.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
    switch (kinds[i] as FieldKind) {
      case FieldKind.Skip:
        break;
      case FieldKind.Bytes:
        s.bytes = readUint(bytes, p, length);
        break;
      case FieldKind.Packets:
        s.packets = readUint(bytes, p, length);
        break;
      case FieldKind.BytesTotal:
        s.bytesTotal = readUint(bytes, p, length);
        break;
      case FieldKind.PacketsTotal:
        s.packetsTotal = readUint(bytes, p, length);
        break;
      case FieldKind.Proto:
        s.proto = bytes[p] ?? 0;
        break;
      case FieldKind.TcpFlags:
        s.tcpFlags = readUint(bytes, p, length);
        break;
      case FieldKind.SrcPort:
        s.sport = readUint(bytes, p, 2);
        break;
      case FieldKind.DstPort:
        s.dport = readUint(bytes, p, 2);
        break;
      case FieldKind.SrcV4:
        if (s.src === '') s.src = formatIPv4(bytes, p);
        break;
      case FieldKind.DstV4:
        if (s.dst === '') s.dst = formatIPv4(bytes, p);
        break;
      case FieldKind.SrcV6:
        if (s.src === '') s.src = formatIPv6(bytes, p);
        break;
      case FieldKind.DstV6:
        if (s.dst === '') s.dst = formatIPv6(bytes, p);
        break;
      case FieldKind.Input:
        s.input = readUint(bytes, p, length);
        break;
      case FieldKind.Output:
        s.output = readUint(bytes, p, length);
        break;
      case FieldKind.SysUpTimeEnd:
        s.sysEnd = readUint(bytes, p, 4);
        break;
      case FieldKind.SysUpTimeStart:
        s.sysStart = readUint(bytes, p, 4);
        break;
      case FieldKind.IcmpTypeCode:
        s.icmpTypeCode = readUint(bytes, p, 2);
        break;
      case FieldKind.IcmpType:
        s.icmpType = bytes[p] ?? 0;
        break;
      case FieldKind.IcmpCode:
        s.icmpCode = bytes[p] ?? 0;
        break;
      case FieldKind.StartSeconds:
        s.start = readUint(bytes, p, 4) * 1000;
        break;
      case FieldKind.EndSeconds:
        s.end = readUint(bytes, p, 4) * 1000;
        break;
      case FieldKind.StartMs:
        s.start = readUint(bytes, p, 8);
        break;
      case FieldKind.EndMs:
        s.end = readUint(bytes, p, 8);
        break;
      case FieldKind.StartNtp:
        s.start = ntpToUnixMs(bytes, p);
        break;
      case FieldKind.EndNtp:
        s.end = ntpToUnixMs(bytes, p);
        break;
      case FieldKind.StartDeltaUs:
        s.startDeltaUs = readUint(bytes, p, 4);
        break;
      case FieldKind.EndDeltaUs:
        s.endDeltaUs = readUint(bytes, p, 4);
        break;
      case FieldKind.SystemInitMs:
        s.systemInitMs = readUint(bytes, p, 8);
        break;
      case FieldKind.SamplingInterval:
        s.samplingInterval = readUint(bytes, p, length);
        break;
      case FieldKind.SamplerId:
        s.samplerId = readUint(bytes, p, length);
        break;
      case FieldKind.SamplerRandomInterval:
        s.samplerRandom = readUint(bytes, p, length);
        break;
      case FieldKind.SamplingPacketInterval:
        s.packetInterval = readUint(bytes, p, length);
        break;
      case FieldKind.SamplingPacketSpace:
        s.packetSpace = readUint(bytes, p, length);
        break;
      case FieldKind.SelectorId:
        s.selectorId = readUint(bytes, p, length);
        break;
      case FieldKind.BiflowDirection:
        s.biflowDirection = bytes[p] ?? 0;
        break;
      case FieldKind.RevBytes:
        s.revBytes = readUint(bytes, p, length);
        break;
      case FieldKind.RevPackets:
        s.revPackets = readUint(bytes, p, length);
        break;
      case FieldKind.RevTcpFlags:
        s.revTcpFlags = readUint(bytes, p, length);
        break;
      case FieldKind.InitiatorBytes:
        s.initiatorBytes = readUint(bytes, p, length);
        break;
      case FieldKind.ResponderBytes:
        s.responderBytes = readUint(bytes, p, length);
        break;
      case FieldKind.InitiatorPackets:
        s.initiatorPackets = readUint(bytes, p, length);
        break;
      case FieldKind.ResponderPackets:
        s.responderPackets = readUint(bytes, p, length);
        break;
      case FieldKind.ObservationMs:
        s.observation = readUint(bytes, p, 8);
        break;
      case FieldKind.ObservationSeconds:
        s.observation = readUint(bytes, p, 4) * 1000;
        break;
      case FieldKind.InitialTcpFlags:
        s.initialFlags = readUint(bytes, p, length);
        break;
      case FieldKind.RevInitialTcpFlags:
        s.revInitialFlags = readUint(bytes, p, length);
        break;
      case FieldKind.SystemUpTimeMs:
        break;
      case FieldKind.SrcPortSpecific:
        if (s.sport === 0) s.sport = readUint(bytes, p, 2);
        break;
      case FieldKind.DstPortSpecific:
        if (s.dport === 0) s.dport = readUint(bytes, p, 2);
        break;
    }
    p += length;
  }
  return p;
}

/** The 1-in-N rate an options record announces, or 0 when it announces none. */
function announcedRate(): number {
  if (s.samplingInterval > 0) return s.samplingInterval;
  if (s.samplerRandom > 0) return s.samplerRandom;
  // IANA 305/306: n packets selected out of every n + space.
  if (s.packetInterval > 0 && s.packetSpace >= 0) {
    return Math.max(1, Math.round((s.packetInterval + s.packetSpace) / s.packetInterval));
  }
  return 0;
}

/** Options data: remember sampler rates and the system init time for this session. */
function applyOptions(session: ExporterSession, limits: { maxSamplers: number }): void {
  if (s.systemInitMs >= 0) session.systemInitMs = s.systemInitMs;
  const rate = announcedRate();
  if (rate <= 0) return;
  const id = s.samplerId >= 0 ? s.samplerId : s.selectorId;
  if (id >= 0) {
    if (session.samplers.has(id) || session.samplers.size < limits.maxSamplers)
      session.samplers.set(id, rate);
  } else {
    session.defaultSampling = rate;
  }
}

function samplingFor(session: ExporterSession): number {
  if (s.samplingInterval > 0) return s.samplingInterval;
  if (s.samplerRandom > 0) return s.samplerRandom;
  const id = s.samplerId >= 0 ? s.samplerId : s.selectorId;
  if (id >= 0) {
    const rate = session.samplers.get(id);
    if (rate !== undefined) return rate;
  }
  return session.defaultSampling > 0 ? session.defaultSampling : 1;
}

/** First/last from whichever time fields the record had (docs/flows.md: the precedence). */
function times(context: ExportContext, session: ExporterSession): void {
  if (s.startDeltaUs >= 0 && s.start < 0)
    s.start = context.exportMs - Math.floor(s.startDeltaUs / 1000);
  if (s.endDeltaUs >= 0 && s.end < 0) s.end = context.exportMs - Math.floor(s.endDeltaUs / 1000);
  if (s.sysStart >= 0 || s.sysEnd >= 0) {
    // RFC 3954 §5.1: FIRST/LAST_SWITCHED are sysUptime ms; the header ties sysUptime to unix time.
    // IPFIX: flowStart/EndSysUpTime count from systemInitTimeMilliseconds (IE 160).
    const base =
      context.sysUptimeMs >= 0
        ? context.exportMs - context.sysUptimeMs
        : s.systemInitMs >= 0
          ? s.systemInitMs
          : session.systemInitMs;
    if (base >= 0) {
      let sysStart = s.sysStart;
      // sysUptime is a 32-bit ms counter: a start above the end wrapped around (49.7 days).
      if (sysStart > s.sysEnd && s.sysEnd >= 0) sysStart -= 0x100000000;
      if (s.start < 0 && s.sysStart >= 0) s.start = base + sysStart;
      if (s.end < 0 && s.sysEnd >= 0) s.end = base + s.sysEnd;
    }
  }
  if (s.start < 0 && s.end < 0) {
    s.start = s.end = s.observation >= 0 ? s.observation : context.exportMs;
  } else if (s.start < 0) {
    s.start = s.end;
  } else if (s.end < 0) {
    s.end = s.start;
  }
}

function origin(): FlowOrigin {
  if (s.biflowDirection >= 0) {
    const fromDirection = originFromBiflowDirection(s.biflowDirection);
    if (fromDirection !== 'unknown') return fromDirection;
  }
  const byFlags = originFromTcpFlags(
    s.proto,
    s.tcpFlags >= 0 ? s.tcpFlags : undefined,
    s.revTcpFlags >= 0 ? s.revTcpFlags : undefined,
    s.initialFlags >= 0 ? s.initialFlags : undefined,
    s.revInitialFlags >= 0 ? s.revInitialFlags : undefined,
  );
  if (byFlags !== 'unknown') return byFlags;
  // Cisco NSEL (ASA) initiator/responder counters: the record's source is the initiator.
  if (s.initiatorBytes >= 0 || s.initiatorPackets >= 0) return 'src';
  return 'unknown';
}

function opt(value: number): number | undefined {
  return value >= 0 ? value : undefined;
}

/** Builds the record from the scratch, or undefined when it holds no flow (no addresses). */
function finish(context: ExportContext, session: ExporterSession): FlowRecord | undefined {
  if (s.src === '' || s.dst === '') return undefined;
  times(context, session);
  let sport = s.sport;
  let dport = s.dport;
  if (s.proto === 1 || s.proto === 58) {
    sport = 0;
    if (s.icmpTypeCode >= 0) dport = s.icmpTypeCode;
    else if (s.icmpType >= 0) dport = s.icmpType * 256 + (s.icmpCode >= 0 ? s.icmpCode : 0);
  }
  const bytesForward = s.bytes >= 0 ? s.bytes : s.bytesTotal >= 0 ? s.bytesTotal : s.initiatorBytes;
  const packetsForward =
    s.packets >= 0 ? s.packets : s.packetsTotal >= 0 ? s.packetsTotal : s.initiatorPackets;
  const revBytes = s.revBytes >= 0 ? s.revBytes : s.responderBytes;
  const revPackets = s.revPackets >= 0 ? s.revPackets : s.responderPackets;
  return {
    exporter: session.exporter,
    domain: session.domain,
    first: s.start,
    last: s.end,
    proto: s.proto,
    src: s.src,
    sport,
    dst: s.dst,
    dport,
    packets: packetsForward >= 0 ? packetsForward : 0,
    bytes: bytesForward >= 0 ? bytesForward : 0,
    tcpFlags: opt(s.tcpFlags),
    input: opt(s.input),
    output: opt(s.output),
    revPackets: opt(revPackets),
    revBytes: opt(revBytes),
    sampling: samplingFor(session),
    origin: origin(),
  };
}

/**
 * Decodes the records of one data set (bytes[start, end)) with its template, appending flow
 * records to `out`. Trailing bytes shorter than a record must be zero padding (RFC 7011 §3.3.1,
 * RFC 3954 §5.3), else the remainder is counted as malformed. Returns records appended.
 */
export function decodeDataSet(
  bytes: Uint8Array,
  start: number,
  end: number,
  template: Template,
  context: ExportContext,
  session: ExporterSession,
  limits: { maxSamplers: number },
  counters: DecodeCounters,
  out: FlowRecord[],
): number {
  if (template.minLength === 0) {
    // A template whose records take no bytes would loop forever over the set.
    counters.malformedPart('template-invalid');
    return 0;
  }
  let p = start;
  let produced = 0;
  let records = 0;
  while (end - p >= template.minLength) {
    if (records >= MAX_RECORDS_PER_SET) {
      counters.malformedPart('too-many-records');
      counters.records += produced;
      return produced;
    }
    records += 1;
    if (!template.useful && template.fixedLength > 0) {
      p += template.fixedLength;
      if (template.options) counters.optionsRecords += 1;
      continue;
    }
    s.reset();
    const next = readFields(bytes, p, end, template);
    if (next < 0) {
      if (!isZeroPadding(bytes, p, end)) counters.malformedPart('varlen-invalid');
      counters.records += produced;
      return produced;
    }
    p = next;
    if (template.options) {
      counters.optionsRecords += 1;
      applyOptions(session, limits);
      continue;
    }
    const record = finish(context, session);
    if (record === undefined) {
      counters.drop('record-unusable');
      continue;
    }
    out.push(record);
    produced += 1;
  }
  if (p < end && !isZeroPadding(bytes, p, end)) counters.malformedPart('record-truncated');
  counters.records += produced;
  return produced;
}
