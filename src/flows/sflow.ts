import type { DecodeCounters } from './decode-counters.js';
import type { FlowSink } from './flow-view.js';
import { originFromTcpFlags } from './origin.js';
import { emptyPacketSummary, parseEthernet, parseIP } from './packet-header.js';
import { u32 } from './wire.js';

/** sFlow v5 (sflow.org/sflow_version_5.txt): more samples than this in one datagram is not real. */
const MAX_SAMPLES = 1024;
const MAX_FLOW_RECORDS = 256;

const summary = emptyPacketSummary();

/**
 * sFlow v5: flow samples (format 1) and expanded flow samples (format 3) whose raw packet
 * header records (format 1) are parsed into one FlowRecord each (packets 1, bytes the frame
 * length, times the receive time: sFlow carries no wall-clock time). Counter samples are
 * skipped and counted. Returns false when malformed.
 */
export function decodeSflow(
  bytes: Uint8Array,
  exporter: string,
  now: number,
  counters: DecodeCounters,
  sink: FlowSink,
): boolean {
  const end = bytes.length;
  if (end < 28) {
    counters.malformedPart('truncated-header');
    return false;
  }
  const addressType = u32(bytes, 4);
  const addressLength = addressType === 1 ? 4 : addressType === 2 ? 16 : -1;
  if (addressLength < 0 || end < 8 + addressLength + 16) {
    counters.malformedPart('sflow-header-invalid');
    return false;
  }
  let p = 8 + addressLength;
  const subAgent = u32(bytes, p);
  const samples = u32(bytes, p + 12);
  p += 16;
  if (samples > MAX_SAMPLES) {
    counters.malformedPart('sflow-header-invalid');
    return false;
  }
  for (let i = 0; i < samples; i += 1) {
    if (end - p < 8) {
      counters.malformedPart('sflow-invalid');
      return false;
    }
    const format = u32(bytes, p);
    const length = u32(bytes, p + 4);
    const body = p + 8;
    if (length > end - body || length % 4 !== 0) {
      counters.malformedPart('sflow-invalid');
      return false;
    }
    const enterprise = format >>> 12;
    const kind = format & 0xfff;
    if (enterprise === 0 && (kind === 1 || kind === 3)) {
      if (
        !flowSample(bytes, body, body + length, kind === 3, exporter, subAgent, now, counters, sink)
      )
        return false;
    } else {
      counters.samplesSkipped += 1;
    }
    p = body + length;
  }
  return true;
}

function flowSample(
  bytes: Uint8Array,
  start: number,
  end: number,
  expanded: boolean,
  exporter: string,
  subAgent: number,
  now: number,
  counters: DecodeCounters,
  sink: FlowSink,
): boolean {
  const fixed = expanded ? 44 : 32;
  if (end - start < fixed) {
    counters.malformedPart('sflow-invalid');
    return false;
  }
  // Compact: seq, source_id(type<<24|index), rate, pool, drops, input, output, n.
  // Expanded: seq, type, index, rate, pool, drops, in_format, input, out_format, output, n.
  const domain = expanded ? u32(bytes, start + 8) : u32(bytes, start + 4) & 0xffffff;
  const rate = u32(bytes, start + (expanded ? 12 : 8));
  const input = expanded ? u32(bytes, start + 28) : u32(bytes, start + 20) & 0x3fffffff;
  const output = expanded ? u32(bytes, start + 36) : u32(bytes, start + 24) & 0x3fffffff;
  const records = u32(bytes, start + fixed - 4);
  if (records > MAX_FLOW_RECORDS) {
    counters.malformedPart('sflow-invalid');
    return false;
  }
  let p = start + fixed;
  for (let i = 0; i < records; i += 1) {
    if (end - p < 8) {
      counters.malformedPart('sflow-invalid');
      return false;
    }
    const format = u32(bytes, p);
    const length = u32(bytes, p + 4);
    const body = p + 8;
    if (length > end - body) {
      counters.malformedPart('sflow-invalid');
      return false;
    }
    if (format === 1 && length >= 16) {
      // Raw packet header: protocol, frame length, stripped, header length, header bytes.
      const protocol = u32(bytes, body);
      const frameLength = u32(bytes, body + 4);
      const headerLength = u32(bytes, body + 12);
      if (headerLength > length - 16) {
        counters.malformedPart('sflow-invalid');
        return false;
      }
      const h = body + 16;
      const parsed =
        protocol === 1
          ? parseEthernet(bytes, h, h + headerLength, summary)
          : protocol === 11 || protocol === 12
            ? parseIP(bytes, h, h + headerLength, summary)
            : false;
      if (parsed) {
        const icmp = summary.proto === 1 || summary.proto === 58;
        const flags = summary.tcpFlags >= 0 ? summary.tcpFlags : undefined;
        sink.record({
          exporter,
          domain: domain === 0 ? subAgent : domain,
          first: now,
          last: now,
          proto: summary.proto,
          src: summary.src,
          sport: icmp ? 0 : summary.sport,
          dst: summary.dst,
          dport: summary.dport,
          packets: 1,
          bytes: frameLength,
          tcpFlags: flags,
          input,
          output,
          revPackets: undefined,
          revBytes: undefined,
          sampling: rate > 0 ? rate : 1,
          origin: originFromTcpFlags(summary.proto, flags, undefined, undefined, undefined),
        });
        counters.records += 1;
      } else {
        counters.drop('record-unusable');
      }
    }
    p = body + length + ((4 - (length % 4)) % 4);
  }
  return true;
}
