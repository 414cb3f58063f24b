/**
 * The one normalised flow record every reader (NetFlow v5/v9, IPFIX, sFlow, pcap replay, Zeek
 * conn.log, CSV/NDJSON files) produces and every check (MUD matcher, access grants) consumes.
 * Counters are exactly as exported: never multiplied by the sampling rate.
 */
export type FlowInitiator = 'device' | 'remote' | 'unknown';

/** Who opened the connection, as far as the record tells: the source or destination end. */
export type FlowOrigin = 'src' | 'dst' | 'unknown';

export interface FlowRecord {
  /** The exporter's address (the UDP source of the export datagram), or '' when unknown. */
  readonly exporter: string;
  /** NetFlow v9 source ID, IPFIX observation domain ID, sFlow sub-agent/source ID; 0 when none. */
  readonly domain: number;
  /** First and last packet of the flow, UTC milliseconds since the epoch. */
  readonly first: number;
  readonly last: number;
  /** IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6…). */
  readonly proto: number;
  /** Addresses in their canonical text form (IPv4 dotted quad, IPv6 RFC 5952). */
  readonly src: string;
  readonly dst: string;
  /** Ports; for ICMP/ICMPv6, sport is 0 and dport is type*256 + code. */
  readonly sport: number;
  readonly dport: number;
  readonly packets: number;
  readonly bytes: number;
  /** Cumulative TCP flags (OR of all packets), undefined when not exported. */
  readonly tcpFlags?: number | undefined;
  /** SNMP ifIndex of the input and output interfaces, undefined when not exported. */
  readonly input?: number | undefined;
  readonly output?: number | undefined;
  /** RFC 5103 biflow reverse counters, undefined for uniflows. */
  readonly revPackets?: number | undefined;
  readonly revBytes?: number | undefined;
  /** 1-in-N sampling that applies to this record; 1 when unknown or unsampled. */
  readonly sampling: number;
  /**
   * Which end opened the connection: from a SYN without ACK in the flags, the RFC 5103 biflow
   * initiator (flowEndReason / biflowDirection), or 'unknown'. The MUD check turns this into
   * device/remote once it knows which end is the device.
   */
  readonly origin: FlowOrigin;
  /**
   * The initiator exactly as a flow file stated it in the MUD check's vocabulary
   * (`device`/`remote`/`unknown`); undefined when the file said `src`/`dst` or nothing.
   */
  readonly initiator?: FlowInitiator | undefined;
  /** An identifier the record carried in its source file (CSV/NDJSON `id`), for verdicts. */
  readonly id?: string | undefined;
}
