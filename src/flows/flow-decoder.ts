import { DecodeCounters } from './decode-counters.js';
import { DEFAULT_SESSION_LIMITS, SessionTable, type SessionLimits } from './exporter-session.js';
import type { FlowRecord } from './flow-record.js';
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
    const counters = this.counters;
    counters.datagrams += 1;
    const malformedBefore = counters.malformedTotal;
    const length = out.length;
    try {
      if (datagram.length > MAX_DATAGRAM || datagram.length < 4) {
        counters.malformedPart('truncated-header');
      } else {
        const version = u16(datagram, 0);
        counters.byVersion.set(version, (counters.byVersion.get(version) ?? 0) + 1);
        if (version === 5) decodeNetflowV5(datagram, exporter, counters, out);
        else if (version === 9)
          decodeNetflowV9(datagram, exporter, now, this.sessions, counters, out);
        else if (version === 10) decodeIpfix(datagram, exporter, now, this.sessions, counters, out);
        else if (version === 0 && u32(datagram, 0) === 5)
          decodeSflow(datagram, exporter, now, counters, out);
        else counters.malformedPart('unknown-version');
      }
    } catch {
      // A decoder bug must not stop the collector: count it, keep what was decoded before.
      out.length = length;
      counters.malformedPart('internal');
    }
    if (counters.malformedTotal !== malformedBefore) counters.malformedDatagrams += 1;
    return out;
  }

  /** Drops held data sets whose template never came (call about once a second). */
  expire(now: number): void {
    this.sessions.expire(now, this.counters);
  }
}
