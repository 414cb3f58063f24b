import { formatIPv4 } from './address.js';
import type { DecodeCounters } from './decode-counters.js';
import type { SessionTable } from './exporter-session.js';
import type { FlowSink } from './flow-view.js';
import { walkSets } from './message-sets.js';
import { originFromTcpFlags } from './origin.js';
import { u16, u32 } from './wire.js';

const V5_HEADER = 24;
const V5_RECORD = 48;
/** Cisco's NetFlow v5 format: at most 30 records per datagram. */
const V5_MAX_COUNT = 30;

/**
 * NetFlow v5 (Cisco's fixed format). The header count must agree with the length:
 * 24 + 48·count ≤ length and 1 ≤ count ≤ 30, else the whole datagram is malformed: a count
 * that lies cannot be trusted to say which bytes are records. Returns false when malformed.
 */
export function decodeNetflowV5(
  bytes: Uint8Array,
  exporter: string,
  counters: DecodeCounters,
  sink: FlowSink,
): boolean {
  if (bytes.length < V5_HEADER) {
    counters.malformedPart('truncated-header');
    return false;
  }
  const count = u16(bytes, 2);
  if (count === 0 || count > V5_MAX_COUNT) {
    counters.malformedPart('v5-count-invalid');
    return false;
  }
  if (V5_HEADER + V5_RECORD * count > bytes.length) {
    counters.malformedPart('v5-length-mismatch');
    return false;
  }
  const sysUptime = u32(bytes, 4);
  const exportMs = u32(bytes, 8) * 1000 + Math.floor(u32(bytes, 12) / 1_000_000);
  const boot = exportMs - sysUptime;
  const samplingField = u16(bytes, 22);
  // The top two bits are the sampling mode; the low 14 the interval (0 = unsampled).
  const interval = samplingField & 0x3fff;
  const sampling = interval > 1 ? interval : 1;
  // engine_type·256 + engine_id plays the role of v9's source ID.
  const domain = u16(bytes, 20);
  for (let i = 0; i < count; i += 1) {
    const r = V5_HEADER + V5_RECORD * i;
    const proto = bytes[r + 38] ?? 0;
    const flags = bytes[r + 37] ?? 0;
    const icmp = proto === 1;
    const last = u32(bytes, r + 28);
    let first = u32(bytes, r + 24);
    // sysUptime is a 32-bit ms counter: a First above Last wrapped around.
    if (first > last) first -= 0x100000000;
    sink.record({
      exporter,
      domain,
      first: boot + first,
      last: boot + last,
      proto,
      src: formatIPv4(bytes, r),
      // v5 exporters put ICMP type·256 + code in the destination port.
      sport: icmp ? 0 : u16(bytes, r + 32),
      dst: formatIPv4(bytes, r + 4),
      dport: u16(bytes, r + 34),
      packets: u32(bytes, r + 16),
      bytes: u32(bytes, r + 20),
      tcpFlags: flags,
      input: u16(bytes, r + 12),
      output: u16(bytes, r + 14),
      revPackets: undefined,
      revBytes: undefined,
      sampling,
      origin: originFromTcpFlags(proto, flags, undefined, undefined, undefined),
    });
  }
  counters.records += count;
  return true;
}

const V9_HEADER = 20;

/** NetFlow v9 (RFC 3954 §5.1): header, then FlowSets. Returns false when malformed. */
export function decodeNetflowV9(
  bytes: Uint8Array,
  exporter: string,
  now: number,
  sessions: SessionTable,
  counters: DecodeCounters,
  sink: FlowSink,
): boolean {
  if (bytes.length < V9_HEADER) {
    counters.malformedPart('truncated-header');
    return false;
  }
  const sysUptimeMs = u32(bytes, 4);
  const exportMs = u32(bytes, 8) * 1000;
  const sourceId = u32(bytes, 16);
  const session = sessions.get(exporter, 9, sourceId, now, counters);
  return walkSets(
    bytes,
    V9_HEADER,
    bytes.length,
    false,
    { exportMs, sysUptimeMs },
    session,
    sessions.limits,
    now,
    counters,
    sink,
  );
}

const IPFIX_HEADER = 16;

/** IPFIX (RFC 7011 §3.1): the header's length must match the datagram. Returns false when malformed. */
export function decodeIpfix(
  bytes: Uint8Array,
  exporter: string,
  now: number,
  sessions: SessionTable,
  counters: DecodeCounters,
  sink: FlowSink,
): boolean {
  if (bytes.length < IPFIX_HEADER) {
    counters.malformedPart('truncated-header');
    return false;
  }
  const length = u16(bytes, 2);
  // RFC 7011 §3.1: Length is the whole message; over UDP one message per datagram.
  if (length < IPFIX_HEADER || length > bytes.length) {
    counters.malformedPart('length-mismatch');
    return false;
  }
  const exportMs = u32(bytes, 4) * 1000;
  const domain = u32(bytes, 12);
  const session = sessions.get(exporter, 10, domain, now, counters);
  return walkSets(
    bytes,
    IPFIX_HEADER,
    length,
    true,
    { exportMs, sysUptimeMs: -1 },
    session,
    sessions.limits,
    now,
    counters,
    sink,
  );
}
