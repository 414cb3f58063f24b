import { DecodeCounters } from './decode-counters.js';
import { DEFAULT_SESSION_LIMITS, SessionTable, type SessionLimits } from './exporter-session.js';
import type { FlowRecord } from './flow-record.js';
import { RecordCollector, type FlowSink } from './flow-view.js';
import { decodeIpfix, decodeNetflowV5, decodeNetflowV9 } from './netflow.js';
import { decodeSflow } from './sflow.js';
import { u16, u32 } from './wire.js';

/** The largest datagram accepted (a UDP payload cannot be larger). */
const MAX_DATAGRAM = 65_535;

/**
 * Decodes export datagrams from any number of exporters: NetFlow v5 and v9, IPFIX and sFlow v5,
 * told apart by the version field (not the port). Keeps bounded per-exporter template state.
 * Never throws: every datagram is decoded, or counted as malformed with a reason.
 *
 * @example
 * const decoder = new FlowDecoder();
 * const records = decoder.decode(payload, '192.0.2.1', Date.now());
 */
export class FlowDecoder {
  readonly counters = new DecodeCounters();
  readonly sessions: SessionTable;
  private readonly collector = new RecordCollector();

  constructor(limits: Partial<SessionLimits> = {}) {
    this.sessions = new SessionTable({ ...DEFAULT_SESSION_LIMITS, ...limits });
  }

  /**
   * Decodes one datagram received from `exporter` at `now` (Unix ms), appending the records to
   * `out` (also returned). Records of data sets held earlier for this datagram's templates are
   * appended too.
   */
  decode(
    datagram: Uint8Array,
    exporter: string,
    now: number,
    out: FlowRecord[] = [],
  ): FlowRecord[] {
    const collector = this.collector;
    collector.out = out;
    const length = out.length;
    if (!this.decodeTo(datagram, exporter, now, collector)) {
      // Keep nothing of a datagram whose decoding hit a bug: it may be half-read.
      out.length = length;
    }
    collector.out = [];
    return out;
  }

  /**
   * Decodes one datagram like {@link decode}, delivering each flow to `sink` instead of building
   * records: NetFlow v9/IPFIX flows arrive in one reused {@link FlowView}, so that a consumer
   * that only checks them allocates nothing per record. Returns false when a decoder bug
   * stopped the datagram (counted as malformed `internal`; flows delivered before it stay
   * delivered). The sink must not decode with this decoder from inside its callbacks.
   */
  decodeTo(datagram: Uint8Array, exporter: string, now: number, sink: FlowSink): boolean {
    const counters = this.counters;
    counters.datagrams += 1;
    const malformedBefore = counters.malformedTotal;
    let intact = true;
    try {
      if (datagram.length > MAX_DATAGRAM || datagram.length < 4) {
        counters.malformedPart('truncated-header');
      } else {
        const version = u16(datagram, 0);
        counters.byVersion.set(version, (counters.byVersion.get(version) ?? 0) + 1);
        if (version === 5) decodeNetflowV5(datagram, exporter, counters, sink);
        else if (version === 9)
          decodeNetflowV9(datagram, exporter, now, this.sessions, counters, sink);
        else if (version === 10)
          decodeIpfix(datagram, exporter, now, this.sessions, counters, sink);
        else if (version === 0 && u32(datagram, 0) === 5)
          decodeSflow(datagram, exporter, now, counters, sink);
        else counters.malformedPart('unknown-version');
      }
    } catch {
      // A decoder bug must not stop the collector: count it, keep going with the next datagram.
      intact = false;
      counters.malformedPart('internal');
    }
    if (counters.malformedTotal !== malformedBefore) counters.malformedDatagrams += 1;
    return intact;
  }

  /** Drops held data sets whose template never came (call about once a second). */
  expire(now: number): void {
    this.sessions.expire(now, this.counters);
  }
}
