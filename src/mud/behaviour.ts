import type { FlowRecord } from '../flows/flow-record.js';
import { AddressSet } from './address-set.js';
import { ConversationPorts } from './conversation.js';
import { parseIpInto, parsePrefix, type IpPrefix } from './ip.js';
import {
  INITIATED_BY_DEVICE,
  INITIATED_BY_REMOTE,
  initiatorOf,
  type MudMatcher,
} from './matcher.js';
import {
  findingCode,
  resolveFindings,
  type BehaviourFinding,
  type BehaviourPartial,
  type BehaviourReport,
  type ConversationTally,
  type FindingKind,
} from './behaviour-findings.js';
import type { MudDirection } from './model.js';
import {
  inferServiceSide,
  strongerInference,
  type ServiceInference,
  type ServiceSide,
} from './service-side.js';

export {
  resolveFindings,
  type BehaviourFinding,
  type BehaviourPartial,
  type BehaviourReport,
  type ConversationTally,
  type FindingKind,
};

/** Ports of a device's management plane unless configured: SSH, Telnet, NETCONF, SNMP, HTTPS. */
export const DEFAULT_MANAGEMENT_PORTS: readonly number[] = [22, 23, 830, 161, 443];

/** A device under check: its addresses and the compiled MUD file of the release it runs. */
export interface BehaviourDevice {
  readonly id: string;
  readonly addresses: readonly string[];
  readonly matcher: MudMatcher;
  /** The operator's local networks for this device: management traffic from inside them is not access. */
  readonly localNetworks: readonly string[];
  readonly managementPorts?: readonly number[] | undefined;
}

/** Permission for remote management access: which devices, from where, on which ports, when. */
export interface AccessGrant {
  readonly id: string;
  readonly devices: readonly string[];
  /** Source networks (CIDR or single addresses). */
  readonly sources: readonly string[];
  /** Device-side ports; empty means every management port. */
  readonly ports: readonly number[];
  /** Inclusive window, UTC ms: a record must lie wholly inside it. */
  readonly from: number;
  readonly until: number;
}

export interface BehaviourInput {
  readonly devices: readonly BehaviourDevice[];
  readonly grants?: readonly AccessGrant[];
  /** Evidence records kept per finding (default 5). */
  readonly maxSamples?: number;
  /** Distinct findings kept (default 100 000): a scan of every port must not exhaust memory. */
  readonly maxFindings?: number;
}

interface DeviceState {
  readonly device: BehaviourDevice;
  readonly local: AddressSet;
  readonly management: ReadonlySet<number>;
  /** remote → packed kind/side/port/protocol → finding. */
  readonly findings: Map<string, Map<number, BehaviourFinding>>;
  /** remote → protocol → undeclared traffic whose service side only the conversation tells. */
  readonly conversations: Map<string, Map<number, ConversationPorts>>;
  readonly grants: readonly {
    grant: AccessGrant;
    sources: AddressSet;
    ports: ReadonlySet<number>;
  }[];
}

/**
 * The behaviour check, fed one record at a time: maps each record to devices by address,
 * judges each device leg against that device's MUD matcher, and holds management-plane traffic
 * from outside the local networks to the access grants. Pure: no I/O, no clock.
 */
export class BehaviourCheck {
  private readonly byAddress = new Map<string, DeviceState>();
  private readonly all: BehaviourFinding[] = [];
  private readonly states: DeviceState[] = [];
  private readonly maxSamples: number;
  private readonly maxFindings: number;
  private overflow = 0;
  private conversationCount = 0;
  private readonly scratch = new Uint32Array(4);
  private records = 0;
  private legs = 0;
  private allowedLegs = 0;
  private grantedLegs = 0;
  private unattributed = 0;

  constructor(input: BehaviourInput) {
    this.maxSamples = Math.max(0, Math.min(input.maxSamples ?? 5, 1000));
    this.maxFindings = Math.max(1, input.maxFindings ?? 100_000);
    for (const device of input.devices) {
      const state: DeviceState = {
        device,
        local: new AddressSet(prefixes(device.localNetworks)),
        management: new Set(device.managementPorts ?? DEFAULT_MANAGEMENT_PORTS),
        findings: new Map(),
        conversations: new Map(),
        grants: (input.grants ?? [])
          .filter((g) => g.devices.includes(device.id))
          .map((grant) => ({
            grant,
            sources: new AddressSet(prefixes(grant.sources)),
            ports: new Set(grant.ports),
          })),
      };
      this.states.push(state);
      for (const address of device.addresses) this.byAddress.set(address, state);
    }
  }

  /** Judges both device legs of one record. */
  add(record: FlowRecord): void {
    this.records += 1;
    const source = this.byAddress.get(record.src);
    const destination = this.byAddress.get(record.dst);
    if (source === undefined && destination === undefined) {
      this.unattributed += 1;
      return;
    }
    if (source !== undefined) this.leg(source, record, 'from-device');
    if (destination !== undefined) this.leg(destination, record, 'to-device');
  }

  /**
   * The findings so far, by device, then first seen, then remote endpoint. Conversations whose
   * service side no single record told are resolved here, over all their records so far.
   */
  report(): BehaviourReport {
    const findings = this.withConversations().sort(
      (a, b) =>
        cmp(a.device, b.device) ||
        a.first - b.first ||
        cmp(a.remote, b.remote) ||
        a.port - b.port ||
        cmp(a.side, b.side),
    );
    return {
      findings,
      records: this.records,
      legs: this.legs,
      allowedLegs: this.allowedLegs,
      grantedLegs: this.grantedLegs,
      unattributed: this.unattributed,
      overflow: this.overflow,
    };
  }

  private leg(state: DeviceState, record: FlowRecord, direction: MudDirection): void {
    this.legs += 1;
    const fromDevice = direction === 'from-device';
    const remote = fromDevice ? record.dst : record.src;
    const devicePort = fromDevice ? record.sport : record.dport;
    const initiator = initiatorOf(record, fromDevice);
    if (this.isManagementAccess(state, record, remote, devicePort, initiator)) {
      if (this.granted(state, record, remote, devicePort)) {
        this.grantedLegs += 1;
      } else {
        const how = initiator === INITIATED_BY_REMOTE ? 'initiator' : 'management-port';
        this.note(state, record, direction, 'unapproved-access', remote, 'device', devicePort, how);
      }
      return;
    }
    const matcher = state.device.matcher;
    if (matcher.match(record, direction).verdict === 'allowed') {
      this.allowedLegs += 1;
      return;
    }
    const remotePort = fromDevice ? record.dport : record.sport;
    const guess = inferServiceSide(
      record.proto,
      devicePort,
      remotePort,
      initiator,
      matcher.declaredPorts,
    );
    if (guess === undefined) {
      this.converse(state, record, direction, remote, devicePort, remotePort);
      return;
    }
    const port = guess.how === 'icmp' ? record.dport : guess.port;
    this.note(state, record, direction, 'undeclared-traffic', remote, guess.side, port, guess.how);
  }

  /** Tallies a violation whose service side only its conversation's other records can tell. */
  private converse(
    state: DeviceState,
    record: FlowRecord,
    direction: MudDirection,
    remote: string,
    devicePort: number,
    remotePort: number,
  ): void {
    let byProto = state.conversations.get(remote);
    if (byProto === undefined) {
      byProto = new Map();
      state.conversations.set(remote, byProto);
    }
    let conversation = byProto.get(record.proto);
    if (conversation === undefined) {
      // A conversation becomes at least one finding: it counts against the same bound.
      if (this.all.length + this.conversationCount >= this.maxFindings) {
        this.overflow += 1;
        return;
      }
      conversation = new ConversationPorts();
      byProto.set(record.proto, conversation);
      this.conversationCount += 1;
    }
    conversation.add(record, direction, devicePort, remotePort, this.maxSamples);
  }

  /** The findings with every conversation resolved into its services, merged with equal ones. */
  private withConversations(): BehaviourFinding[] {
    if (this.conversationCount === 0) return [...this.all];
    return resolveFindings(this.partial(), this.maxSamples);
  }

  /**
   * What the check holds before conversations are resolved: the findings every record told on its
   * own, and the conversations' port tallies. Sums only, so partials of disjoint record sets (a
   * worker's batches) add up; `resolveFindings` turns any sum into the findings `report` gives.
   */
  partial(): BehaviourPartial {
    const conversations: ConversationTally[] = [];
    for (const state of this.states) {
      for (const [remote, byProto] of state.conversations) {
        for (const [proto, ports] of byProto) {
          conversations.push({
            device: state.device.id,
            remote,
            proto,
            devicePorts: ports.device,
            remotePorts: ports.remote,
          });
        }
      }
    }
    return {
      findings: this.all,
      conversations,
      records: this.records,
      legs: this.legs,
      allowedLegs: this.allowedLegs,
      grantedLegs: this.grantedLegs,
      unattributed: this.unattributed,
      overflow: this.overflow,
    };
  }

  /** TCP/UDP to a management port of the device, from outside its local networks, not opened by the device. */
  private isManagementAccess(
    state: DeviceState,
    record: FlowRecord,
    remote: string,
    devicePort: number,
    initiator: number,
  ): boolean {
    if (record.proto !== 6 && record.proto !== 17) return false;
    if (!state.management.has(devicePort) || initiator === INITIATED_BY_DEVICE) return false;
    const family = parseIpInto(remote, this.scratch);
    return family === 0 || !state.local.has(family, this.scratch);
  }

  private granted(
    state: DeviceState,
    record: FlowRecord,
    remote: string,
    devicePort: number,
  ): boolean {
    const family = parseIpInto(remote, this.scratch);
    if (family === 0) return false;
    return state.grants.some(
      ({ grant, sources, ports }) =>
        (ports.size === 0 || ports.has(devicePort)) &&
        record.first >= grant.from &&
        record.last <= grant.until &&
        sources.has(family, this.scratch),
    );
  }

  private note(
    state: DeviceState,
    record: FlowRecord,
    direction: MudDirection,
    kind: FindingKind,
    remote: string,
    side: ServiceSide,
    port: number,
    inferred: ServiceInference,
  ): void {
    const code = findingCode(kind, side, port, record.proto);
    let byRemote = state.findings.get(remote);
    if (byRemote === undefined) {
      byRemote = new Map();
      state.findings.set(remote, byRemote);
    }
    let finding = byRemote.get(code);
    if (finding === undefined) {
      if (this.all.length >= this.maxFindings) {
        this.overflow += 1;
        return;
      }
      finding = {
        device: state.device.id,
        kind,
        remote,
        port,
        proto: record.proto,
        side,
        inferred,
        directions: [],
        first: record.first,
        last: record.last,
        records: 0,
        packets: 0,
        bytes: 0,
        samples: [],
      };
      byRemote.set(code, finding);
      this.all.push(finding);
    }
    finding.inferred = strongerInference(finding.inferred, inferred);
    if (!finding.directions.includes(direction)) finding.directions.push(direction);
    if (record.first < finding.first) finding.first = record.first;
    if (record.last > finding.last) finding.last = record.last;
    finding.records += 1;
    finding.packets += record.packets;
    finding.bytes += record.bytes;
    if (finding.samples.length < this.maxSamples) finding.samples.push(record);
  }
}

/**
 * Runs the behaviour check over a batch of records and returns its findings.
 *
 * @example
 * const report = checkBehaviour({ devices, grants }, records);
 * for (const f of report.findings) console.log(f.device, f.kind, f.remote, f.port);
 */
export function checkBehaviour(
  input: BehaviourInput,
  records: Iterable<FlowRecord>,
): BehaviourReport {
  const check = new BehaviourCheck(input);
  for (const record of records) check.add(record);
  return check.report();
}

function prefixes(texts: readonly string[]): IpPrefix[] {
  return texts.map(parsePrefix).filter((p): p is IpPrefix => p !== undefined);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
