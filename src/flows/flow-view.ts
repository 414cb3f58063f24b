import { formatIPv4Number, formatIPv6Words } from './address.js';
import type { FlowOrigin, FlowRecord } from './flow-record.js';

/** The address family of one end of a flow: 4, 6, or 0 when the record had no address for it. */
export type FlowFamily = 0 | 4 | 6;

/**
 * The fields a flow check reads, with addresses as words instead of text: IPv4 in `src[0]`,
 * IPv6 as four big-endian 32-bit words. What the MUD matcher judges without formatting or
 * parsing address text.
 */
export interface FlowTuple {
  readonly srcFamily: FlowFamily;
  readonly src: Uint32Array;
  readonly dstFamily: FlowFamily;
  readonly dst: Uint32Array;
  readonly proto: number;
  readonly sport: number;
  readonly dport: number;
  readonly origin: FlowOrigin;
  readonly initiator?: FlowRecord['initiator'];
}

/**
 * One decoded flow in reusable numeric form. The NetFlow v9/IPFIX decoder overwrites a single
 * view for every record, so that a consumer that only checks flows (the MUD check, counters)
 * allocates nothing per record; `toRecord()` builds the {@link FlowRecord} when one is kept.
 * Optional counters hold -1 when the record did not carry them.
 */
export class FlowView implements FlowTuple {
  exporter = '';
  domain = 0;
  first = 0;
  last = 0;
  proto = 0;
  srcFamily: FlowFamily = 0;
  readonly src = new Uint32Array(4);
  dstFamily: FlowFamily = 0;
  readonly dst = new Uint32Array(4);
  sport = 0;
  dport = 0;
  packets = 0;
  bytes = 0;
  tcpFlags = -1;
  input = -1;
  output = -1;
  revPackets = -1;
  revBytes = -1;
  sampling = 1;
  origin: FlowOrigin = 'unknown';

  /** The flow as a record of its own (addresses formatted now), safe to keep. */
  toRecord(): FlowRecord {
    return {
      exporter: this.exporter,
      domain: this.domain,
      first: this.first,
      last: this.last,
      proto: this.proto,
      src: formatAddress(this.srcFamily, this.src),
      sport: this.sport,
      dst: formatAddress(this.dstFamily, this.dst),
      dport: this.dport,
      packets: this.packets,
      bytes: this.bytes,
      tcpFlags: optional(this.tcpFlags),
      input: optional(this.input),
      output: optional(this.output),
      revPackets: optional(this.revPackets),
      revBytes: optional(this.revBytes),
      sampling: this.sampling,
      origin: this.origin,
    };
  }
}

/**
 * Where decoders deliver flows: `flow` with the reusable view (read it before returning: the
 * next record overwrites it), `record` with a record the decoder built whole (NetFlow v5, sFlow).
 */
export interface FlowSink {
  flow(view: FlowView): void;
  record(record: FlowRecord): void;
}

/** A sink that keeps every flow as a {@link FlowRecord}, appended to `out`. */
export class RecordCollector implements FlowSink {
  out: FlowRecord[] = [];

  flow(view: FlowView): void {
    this.out.push(view.toRecord());
  }

  record(record: FlowRecord): void {
    this.out.push(record);
  }
}

function optional(value: number): number | undefined {
  return value >= 0 ? value : undefined;
}

/** Canonical address text of one end (dotted quad, RFC 5952), '' when the record had none. */
export function formatAddress(family: FlowFamily, words: Uint32Array): string {
  if (family === 4) return formatIPv4Number(words[0] ?? 0);
  if (family === 6) return formatIPv6Words(words);
  return '';
}
