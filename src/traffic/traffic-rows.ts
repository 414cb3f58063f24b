/**
 * The traffic aggregates as rows, whatever database keeps them: a stream message's partial sums
 * flattened into the rows its adapter adds, and the stored rows read back into the report a
 * batch check gives. Pure, so that the SQLite and PostgreSQL adapters add and resolve alike.
 */
import type { FlowRecord } from '../flows/flow-record.js';
import {
  inferenceOfRank,
  inferenceRank,
  resolveFindings,
  type BehaviourFinding,
  type BehaviourPartial,
  type ConversationTally,
  type MudDirection,
  type PortTally,
} from '../mud/index.js';
import type { StreamOrigin, TrafficReport } from './traffic-store-port.js';

const FROM_DEVICE = 1;
const TO_DEVICE = 2;

export function directionBits(directions: readonly MudDirection[]): number {
  return (
    (directions.includes('from-device') ? FROM_DEVICE : 0) |
    (directions.includes('to-device') ? TO_DEVICE : 0)
  );
}

function directionsOf(bits: number): MudDirection[] {
  const out: MudDirection[] = [];
  if (bits & FROM_DEVICE) out.push('from-device');
  if (bits & TO_DEVICE) out.push('to-device');
  return out;
}

/** The key a finding's samples are kept under. */
export const findingOwner = (
  f: Pick<BehaviourFinding, 'device' | 'kind' | 'remote' | 'proto' | 'side' | 'port'>,
): string => JSON.stringify(['f', f.device, f.kind, f.remote, f.proto, f.side, f.port]);

/** The key a conversation port's samples are kept under. */
export const portOwner = (
  device: string,
  remote: string,
  proto: number,
  side: string,
  port: number,
): string => JSON.stringify(['c', device, remote, proto, side, port]);

/** One row of traffic_findings: sums per (device, kind, remote, proto, side, port). */
export interface FindingRow {
  device: string;
  kind: BehaviourFinding['kind'];
  remote: string;
  proto: number;
  side: BehaviourFinding['side'];
  port: number;
  inferred_rank: number;
  first: number;
  last: number;
  records: number;
  packets: number;
  bytes: number;
  directions: number;
}

/** One row of traffic_conversation_ports: sums per (device, remote, proto, side, port). */
export interface PortRow {
  device: string;
  remote: string;
  proto: number;
  side: 'device' | 'remote';
  port: number;
  first: number;
  last: number;
  records: number;
  packets: number;
  bytes: number;
  directions: number;
}

/** The single row of traffic_totals. */
export interface TotalsRow {
  records: number;
  legs: number;
  allowed_legs: number;
  granted_legs: number;
  unattributed: number;
  overflow: number;
}

/** A sample offered for an owner: the `k`-th (from 1) of this message's samples of it. */
export interface SampleOffer {
  owner: string;
  k: number;
  record: string;
}

/** What one stream message adds, as rows. */
export interface PartialRows {
  readonly findings: FindingRow[];
  readonly ports: PortRow[];
  readonly samples: SampleOffer[];
}

/** Flattens a message's partial sums into rows, at most `maxSamples` samples per owner. */
export function rowsOfPartial(partial: BehaviourPartial, maxSamples: number): PartialRows {
  const samples: SampleOffer[] = [];
  const offer = (owner: string, records: readonly FlowRecord[]) => {
    records.slice(0, maxSamples).forEach((record, i) => {
      samples.push({ owner, k: i + 1, record: JSON.stringify(record) });
    });
  };
  const findings = partial.findings.map((f): FindingRow => {
    offer(findingOwner(f), f.samples);
    return {
      device: f.device,
      kind: f.kind,
      remote: f.remote,
      proto: f.proto,
      side: f.side,
      port: f.port,
      inferred_rank: inferenceRank(f.inferred),
      first: f.first,
      last: f.last,
      records: f.records,
      packets: f.packets,
      bytes: f.bytes,
      directions: directionBits(f.directions),
    };
  });
  const ports: PortRow[] = [];
  for (const c of partial.conversations) {
    for (const [side, tallies] of [
      ['device', c.devicePorts],
      ['remote', c.remotePorts],
    ] as const) {
      for (const [port, t] of tallies) {
        ports.push({
          device: c.device,
          remote: c.remote,
          proto: c.proto,
          side,
          port,
          first: t.first,
          last: t.last,
          records: t.records,
          packets: t.packets,
          bytes: t.bytes,
          directions: directionBits(t.directions),
        });
        offer(portOwner(c.device, c.remote, c.proto, side, port), t.samples);
      }
    }
  }
  return { findings, ports, samples };
}

/** A stored sample record and the stream message that carried it. */
export interface StoredSample {
  owner: string;
  stream: string;
  seq: number;
  record: string;
}

/** Everything stored, as read in one snapshot. */
export interface StoredTraffic {
  readonly findings: readonly FindingRow[];
  readonly ports: readonly PortRow[];
  /** Every sample, in order per owner. */
  readonly samples: readonly StoredSample[];
  readonly totals: TotalsRow;
  /** Stream messages applied. */
  readonly messages: number;
}

/** The stored aggregates resolved as a batch check resolves its findings. */
export function reportOfRows(stored: StoredTraffic, maxSamples: number): TrafficReport {
  const samples = new Map<string, FlowRecord[]>();
  const sampleOrigins = new Map<FlowRecord, StreamOrigin>();
  for (const s of stored.samples) {
    let list = samples.get(s.owner);
    if (list === undefined) samples.set(s.owner, (list = []));
    const record = JSON.parse(s.record) as FlowRecord;
    sampleOrigins.set(record, { stream: s.stream, sequence: s.seq });
    list.push(record);
  }
  const findings: BehaviourFinding[] = stored.findings.map((r) => ({
    device: r.device,
    kind: r.kind,
    remote: r.remote,
    port: r.port,
    proto: r.proto,
    side: r.side,
    inferred: inferenceOfRank(r.inferred_rank),
    directions: directionsOf(r.directions),
    first: r.first,
    last: r.last,
    records: r.records,
    packets: r.packets,
    bytes: r.bytes,
    samples: samples.get(findingOwner(r)) ?? [],
  }));
  type Conversation = ConversationTally & {
    devicePorts: Map<number, PortTally>;
    remotePorts: Map<number, PortTally>;
  };
  const conversations = new Map<string, Conversation>();
  for (const r of stored.ports) {
    const key = JSON.stringify([r.device, r.remote, r.proto]);
    let c = conversations.get(key);
    if (c === undefined) {
      c = {
        device: r.device,
        remote: r.remote,
        proto: r.proto,
        devicePorts: new Map<number, PortTally>(),
        remotePorts: new Map<number, PortTally>(),
      };
      conversations.set(key, c);
    }
    (r.side === 'device' ? c.devicePorts : c.remotePorts).set(r.port, {
      first: r.first,
      last: r.last,
      records: r.records,
      packets: r.packets,
      bytes: r.bytes,
      directions: directionsOf(r.directions),
      samples: samples.get(portOwner(r.device, r.remote, r.proto, r.side, r.port)) ?? [],
    });
  }
  const resolved = resolveFindings(
    { findings, conversations: [...conversations.values()] },
    maxSamples,
  ).sort(
    (a, b) =>
      cmp(a.device, b.device) ||
      a.first - b.first ||
      cmp(a.remote, b.remote) ||
      a.port - b.port ||
      cmp(a.side, b.side),
  );
  const { totals } = stored;
  return {
    findings: resolved,
    records: totals.records,
    legs: totals.legs,
    allowedLegs: totals.allowed_legs,
    grantedLegs: totals.granted_legs,
    unattributed: totals.unattributed,
    overflow: totals.overflow,
    sampleOrigins,
    messages: stored.messages,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
