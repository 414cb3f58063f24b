import type { ExportContext, ExporterSession } from './exporter-session.js';
import type { FlowOrigin } from './flow-record.js';
import type { FlowView } from './flow-view.js';
import { originFromBiflowDirection, originFromTcpFlags } from './origin.js';
import type { RecordFields } from './record-fields.js';
import { samplingFor } from './sampling.js';

/** First/last from whichever time fields the record had (docs/flows.md: the precedence). */
function times(f: RecordFields, context: ExportContext, session: ExporterSession): void {
  if (f.startDeltaUs >= 0 && f.start < 0)
    f.start = context.exportMs - Math.floor(f.startDeltaUs / 1000);
  if (f.endDeltaUs >= 0 && f.end < 0) f.end = context.exportMs - Math.floor(f.endDeltaUs / 1000);
  if (f.sysStart >= 0 || f.sysEnd >= 0) {
    // RFC 3954 §5.1: FIRST/LAST_SWITCHED are sysUptime ms; the header ties sysUptime to unix time.
    // IPFIX: flowStart/EndSysUpTime count from systemInitTimeMilliseconds (IE 160).
    const base =
      context.sysUptimeMs >= 0
        ? context.exportMs - context.sysUptimeMs
        : f.systemInitMs >= 0
          ? f.systemInitMs
          : session.systemInitMs;
    if (base >= 0) {
      let sysStart = f.sysStart;
      // sysUptime is a 32-bit ms counter: a start above the end wrapped around (49.7 days).
      if (sysStart > f.sysEnd && f.sysEnd >= 0) sysStart -= 0x100000000;
      if (f.start < 0 && f.sysStart >= 0) f.start = base + sysStart;
      if (f.end < 0 && f.sysEnd >= 0) f.end = base + f.sysEnd;
    }
  }
  if (f.start < 0 && f.end < 0) {
    f.start = f.end = f.observation >= 0 ? f.observation : context.exportMs;
  } else if (f.start < 0) {
    f.start = f.end;
  } else if (f.end < 0) {
    f.end = f.start;
  }
}

function origin(f: RecordFields): FlowOrigin {
  if (f.biflowDirection >= 0) {
    const fromDirection = originFromBiflowDirection(f.biflowDirection);
    if (fromDirection !== 'unknown') return fromDirection;
  }
  const byFlags = originFromTcpFlags(
    f.proto,
    f.tcpFlags >= 0 ? f.tcpFlags : undefined,
    f.revTcpFlags >= 0 ? f.revTcpFlags : undefined,
    f.initialFlags >= 0 ? f.initialFlags : undefined,
    f.revInitialFlags >= 0 ? f.revInitialFlags : undefined,
  );
  if (byFlags !== 'unknown') return byFlags;
  // Cisco NSEL (ASA) initiator/responder counters: the record's source is the initiator.
  if (f.initiatorBytes >= 0 || f.initiatorPackets >= 0) return 'src';
  return 'unknown';
}

// Word by word: TypedArray#set is a builtin call, slower than four stores for four words.
function copyWords(from: Uint32Array, to: Uint32Array): void {
  to[0] = from[0] ?? 0;
  to[1] = from[1] ?? 0;
  to[2] = from[2] ?? 0;
  to[3] = from[3] ?? 0;
}

/**
 * Turns a data record's raw fields into the flow in `view`: times, ICMP type/code, forward and
 * reverse counters, sampling and origin. False when the record holds no flow (no addresses).
 */
export function flowFromFields(
  f: RecordFields,
  context: ExportContext,
  session: ExporterSession,
  view: FlowView,
): boolean {
  if (f.srcFamily === 0 || f.dstFamily === 0) return false;
  times(f, context, session);
  let sport = f.sport;
  let dport = f.dport;
  if (f.proto === 1 || f.proto === 58) {
    sport = 0;
    if (f.icmpTypeCode >= 0) dport = f.icmpTypeCode;
    else if (f.icmpType >= 0) dport = f.icmpType * 256 + (f.icmpCode >= 0 ? f.icmpCode : 0);
  }
  const bytesForward = f.bytes >= 0 ? f.bytes : f.bytesTotal >= 0 ? f.bytesTotal : f.initiatorBytes;
  const packetsForward =
    f.packets >= 0 ? f.packets : f.packetsTotal >= 0 ? f.packetsTotal : f.initiatorPackets;
  view.exporter = session.exporter;
  view.domain = session.domain;
  view.first = f.start;
  view.last = f.end;
  view.proto = f.proto;
  view.srcFamily = f.srcFamily;
  copyWords(f.src, view.src);
  view.dstFamily = f.dstFamily;
  copyWords(f.dst, view.dst);
  view.sport = sport;
  view.dport = dport;
  view.packets = packetsForward >= 0 ? packetsForward : 0;
  view.bytes = bytesForward >= 0 ? bytesForward : 0;
  view.tcpFlags = f.tcpFlags;
  view.input = f.input;
  view.output = f.output;
  view.revPackets = f.revPackets >= 0 ? f.revPackets : f.responderPackets;
  view.revBytes = f.revBytes >= 0 ? f.revBytes : f.responderBytes;
  view.sampling = samplingFor(f, session);
  view.origin = origin(f);
  return true;
}
