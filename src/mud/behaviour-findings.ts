/**
 * What the behaviour check finds, and its sums before conversations are resolved: the findings'
 * shape, and the one resolution of a partial into findings that a check's report and a store's
 * stored aggregates share (so both give the same findings).
 */
import type { FlowRecord } from '../flows/flow-record.js';
import { resolveConversation, type PortTally } from './conversation.js';
import type { MudDirection } from './model.js';
import { strongerInference, type ServiceInference, type ServiceSide } from './service-side.js';

export type FindingKind = 'undeclared-traffic' | 'unapproved-access';

/** Violations of one device with one remote endpoint, service and protocol, aggregated. */
export interface BehaviourFinding {
  readonly device: string;
  readonly kind: FindingKind;
  readonly remote: string;
  /** The service port (ICMP: type*256+code), at the end `side` names. */
  readonly port: number;
  readonly proto: number;
  /** Which end offers the service: the device's port or the remote's. */
  readonly side: ServiceSide;
  /** How the service side was told (the initiator, a port at one end, the conversation); the strongest when several records told it differently. */
  inferred: ServiceInference;
  readonly directions: MudDirection[];
  first: number;
  last: number;
  records: number;
  packets: number;
  bytes: number;
  /** The first records seen, as evidence (at most `maxSamples`). */
  readonly samples: FlowRecord[];
}

export interface BehaviourReport {
  readonly findings: readonly BehaviourFinding[];
  readonly records: number;
  /** Legs judged (a record between two devices has two). */
  readonly legs: number;
  readonly allowedLegs: number;
  /** Management-plane legs allowed by an access grant. */
  readonly grantedLegs: number;
  /** Records that touch no known device address. */
  readonly unattributed: number;
  /** Violating legs not kept as findings because `maxFindings` distinct findings already exist. */
  readonly overflow: number;
}

/** The port tallies of one conversation (device, remote address, protocol). */
export interface ConversationTally {
  readonly device: string;
  readonly remote: string;
  readonly proto: number;
  readonly devicePorts: ReadonlyMap<number, PortTally>;
  readonly remotePorts: ReadonlyMap<number, PortTally>;
}

/** A behaviour check's sums before conversations are resolved (`BehaviourCheck.partial`). */
export interface BehaviourPartial extends Omit<BehaviourReport, 'findings'> {
  /** Findings the records told on their own (not yet merged with resolved conversations). */
  readonly findings: readonly BehaviourFinding[];
  readonly conversations: readonly ConversationTally[];
}

/**
 * The findings of a partial: each conversation resolved into its services
 * (`resolveConversation`) and merged with a finding of the same device, kind, remote, side,
 * port and protocol. Pure; the inputs are not changed. Used by `report` and by readers of
 * stored aggregates, so both give the same findings.
 */
export function resolveFindings(
  partial: Pick<BehaviourPartial, 'findings' | 'conversations'>,
  maxSamples: number,
): BehaviourFinding[] {
  const key = (device: string, remote: string, code: number) =>
    `${device}\u0000${remote}\u0000${code}`;
  const out = new Map<string, BehaviourFinding>();
  for (const f of partial.findings)
    out.set(key(f.device, f.remote, findingCode(f.kind, f.side, f.port, f.proto)), f);
  const cloned = new Set<BehaviourFinding>();
  for (const c of partial.conversations) {
    for (const service of resolveConversation(c.devicePorts, c.remotePorts)) {
      const k = key(
        c.device,
        c.remote,
        findingCode('undeclared-traffic', service.side, service.port, c.proto),
      );
      let finding = out.get(k);
      if (finding !== undefined && !cloned.has(finding)) {
        finding = cloneFinding(finding);
        out.set(k, finding);
        cloned.add(finding);
      }
      if (finding === undefined) {
        finding = {
          device: c.device,
          kind: 'undeclared-traffic',
          remote: c.remote,
          port: service.port,
          proto: c.proto,
          side: service.side,
          inferred: service.how,
          directions: [],
          first: Number.POSITIVE_INFINITY,
          last: Number.NEGATIVE_INFINITY,
          records: 0,
          packets: 0,
          bytes: 0,
          samples: [],
        };
        out.set(k, finding);
        cloned.add(finding);
      }
      finding.inferred = strongerInference(finding.inferred, service.how);
      for (const part of service.parts) foldTally(finding, part, maxSamples);
    }
  }
  return [...out.values()];
}

/**
 * Findings are keyed per device, then remote, then kind/side/port/protocol packed into one
 * number, so that a repeated violation costs map lookups and no string building.
 */
export function findingCode(
  kind: FindingKind,
  side: ServiceSide,
  port: number,
  proto: number,
): number {
  return (
    (kind === 'unapproved-access' ? 2 : 0) * 0x1000000 +
    (side === 'device' ? 1 : 0) * 0x1000000 +
    (port & 0xffff) * 256 +
    (proto & 255)
  );
}

function cloneFinding(f: BehaviourFinding): BehaviourFinding {
  return { ...f, directions: [...f.directions], samples: [...f.samples] };
}

/** Adds a conversation's port tally to a finding (totals, span, directions, samples). */
function foldTally(finding: BehaviourFinding, t: PortTally, maxSamples: number): void {
  for (const d of t.directions) if (!finding.directions.includes(d)) finding.directions.push(d);
  if (t.first < finding.first) finding.first = t.first;
  if (t.last > finding.last) finding.last = t.last;
  finding.records += t.records;
  finding.packets += t.packets;
  finding.bytes += t.bytes;
  for (const r of t.samples) if (finding.samples.length < maxSamples) finding.samples.push(r);
}
