import type { FlowRecord } from '../flows/flow-record.js';
import type { FlowTuple } from '../flows/flow-view.js';
import { AddressSet } from './address-set.js';
import { parseIpInto, parsePrefix, type IpPrefix } from './ip.js';
import type { DeclaredPorts } from './declared-ports.js';
import type { MudDeviation, MudDirection } from './model.js';

/** The outcome of judging one record against one direction's policy. */
export interface MudDecision {
  readonly verdict: 'allowed' | 'violation';
  /** `<acl-name>/<ace-name>` of the deciding accept ACE, `default:dns`/`default:ntp`, or '' for a violation. */
  readonly rule: string;
  /** The drop/reject ACE that decided a violation, when one did (default deny leaves it unset). */
  readonly deniedBy?: string | undefined;
}

/** Something the operator should know about how the context resolved a MUD file (a name bound to nothing, an unmapped controller). */
export interface MudNote {
  readonly rule: string;
  readonly message: string;
}

/**
 * A MUD file compiled against one operator context. Matching is allocation-free: the protocol
 * selects a precomputed rule list and the first matching rule's shared decision object is
 * returned. `directionOfFlow`/`matchFlow` judge a decoded flow on its address words; `directionOf`
 * and `match` take a record's address text, parsed into scratch words, and decide the same.
 */
export interface MudMatcher {
  readonly mudUrl: string;
  /** The device's canonical addresses from the context. */
  readonly deviceAddresses: ReadonlySet<string>;
  /** Deviations found when the MUD file was parsed. */
  readonly deviations: readonly MudDeviation[];
  /** How the context resolved names, controllers and classes, where it matters. */
  readonly notes: readonly MudNote[];
  /** The ports the file names for the device's end and for remote ends (service-side inference). */
  readonly declaredPorts: DeclaredPorts;
  /** from-device when the record's source is the device, to-device when its destination is, else undefined. */
  directionOf(record: FlowRecord): MudDirection | undefined;
  /** Judges the record against the policy of `direction` (RFC 8520 App. B: first match, default deny). */
  match(record: FlowRecord, direction: MudDirection): MudDecision;
  /** {@link directionOf} for a flow whose addresses are words (a decoder's {@link FlowTuple}). */
  directionOfFlow(flow: FlowTuple): MudDirection | undefined;
  /** {@link match} for a flow whose addresses are words. */
  matchFlow(flow: FlowTuple, direction: MudDirection): MudDecision;
}

/** The default-deny outcome (RFC 8520 §5: anything not explicitly permitted is denied). */
export const DEFAULT_DENY: MudDecision = Object.freeze({ verdict: 'violation', rule: '' });

export const INITIATED_BY_DEVICE = 1;
export const INITIATED_BY_REMOTE = 2;

/** One ACE compiled to flat fields; unconstrained fields hold values that always pass. */
export class CompiledRule {
  constructor(
    readonly decision: MudDecision,
    /** 0 for both families. */
    readonly family: 0 | 4 | 6,
    /** -1 for any protocol. */
    readonly protocol: number,
    /** An icmp match: protocol 1 on IPv4, 58 on IPv6; type/code -1 for any. */
    readonly icmp: boolean,
    readonly icmpType: number,
    readonly icmpCode: number,
    readonly srcSets: readonly AddressSet[],
    readonly dstSets: readonly AddressSet[],
    readonly sportLo: number,
    readonly sportHi: number,
    readonly sportNegate: boolean,
    readonly dportLo: number,
    readonly dportHi: number,
    readonly dportNegate: boolean,
    /** 0 none, INITIATED_BY_DEVICE or INITIATED_BY_REMOTE (ietf-mud direction-initiated). */
    readonly initiated: number,
  ) {}

  matches(
    sport: number,
    dport: number,
    family: 4 | 6,
    src: Uint32Array,
    dst: Uint32Array,
    initiator: number,
  ): boolean {
    if (this.icmp) {
      // Flow records carry ICMP type and code as dport = type*256 + code.
      if (this.icmpType >= 0 && dport >>> 8 !== this.icmpType) return false;
      if (this.icmpCode >= 0 && (dport & 255) !== this.icmpCode) return false;
    } else {
      if ((sport >= this.sportLo && sport <= this.sportHi) === this.sportNegate) return false;
      if ((dport >= this.dportLo && dport <= this.dportHi) === this.dportNegate) return false;
    }
    // direction-initiated: only a known initiator at the right end satisfies it; unknown never does.
    if (this.initiated !== 0 && initiator !== this.initiated) return false;
    for (const set of this.srcSets) if (!set.has(family, src)) return false;
    for (const set of this.dstSets) if (!set.has(family, dst)) return false;
    return true;
  }
}

/** Rules of one direction indexed by family and protocol, each list in ACE order. */
export interface ProtocolSwitch {
  readonly v4: readonly (readonly CompiledRule[])[];
  readonly v6: readonly (readonly CompiledRule[])[];
}

/** Builds the per-protocol lists once; protocols no rule names share one wildcard-only list. */
export function buildSwitch(rules: readonly CompiledRule[]): ProtocolSwitch {
  const table = (family: 4 | 6): CompiledRule[][] => {
    const own = rules.filter((r) => r.family === 0 || r.family === family);
    const wildcard = own.filter((r) => r.protocol < 0 && !r.icmp);
    const icmpProtocol = family === 4 ? 1 : 58;
    const named = new Set(own.filter((r) => r.protocol >= 0).map((r) => r.protocol));
    if (own.some((r) => r.icmp)) named.add(icmpProtocol);
    const out: CompiledRule[][] = [];
    for (let p = 0; p < 256; p += 1) {
      out.push(
        named.has(p)
          ? own.filter(
              (r) => r.protocol === p || (r.protocol < 0 && (!r.icmp || p === icmpProtocol)),
            )
          : wildcard,
      );
    }
    return out;
  };
  return { v4: table(4), v6: table(6) };
}

/** Who opened the connection, in device/remote terms for the given direction. */
export function initiatorOf(
  record: Pick<FlowRecord, 'initiator' | 'origin'>,
  fromDevice: boolean,
): number {
  const stated = record.initiator;
  if (stated === 'device') return INITIATED_BY_DEVICE;
  if (stated === 'remote') return INITIATED_BY_REMOTE;
  const origin = record.origin;
  if (origin === 'src') return fromDevice ? INITIATED_BY_DEVICE : INITIATED_BY_REMOTE;
  if (origin === 'dst') return fromDevice ? INITIATED_BY_REMOTE : INITIATED_BY_DEVICE;
  return 0;
}

/** The compiled matcher: two protocol switches and scratch words for address text. */
export class CompiledMudMatcher implements MudMatcher {
  /** The device's addresses as a set of single addresses, for flows whose addresses are words. */
  private readonly device: AddressSet;
  private readonly src = new Uint32Array(4);
  private readonly dst = new Uint32Array(4);

  constructor(
    readonly mudUrl: string,
    readonly deviceAddresses: ReadonlySet<string>,
    readonly deviations: readonly MudDeviation[],
    readonly notes: readonly MudNote[],
    readonly declaredPorts: DeclaredPorts,
    private readonly fromDevice: ProtocolSwitch,
    private readonly toDevice: ProtocolSwitch,
  ) {
    this.device = new AddressSet(
      [...deviceAddresses].map(parsePrefix).filter((p): p is IpPrefix => p !== undefined),
    );
  }

  directionOf(record: FlowRecord): MudDirection | undefined {
    if (this.deviceAddresses.has(record.src)) return 'from-device';
    if (this.deviceAddresses.has(record.dst)) return 'to-device';
    return undefined;
  }

  directionOfFlow(flow: FlowTuple): MudDirection | undefined {
    if (flow.srcFamily !== 0 && this.device.has(flow.srcFamily, flow.src)) return 'from-device';
    if (flow.dstFamily !== 0 && this.device.has(flow.dstFamily, flow.dst)) return 'to-device';
    return undefined;
  }

  match(record: FlowRecord, direction: MudDirection): MudDecision {
    const family = parseIpInto(record.src, this.src);
    // A record whose ends are not both addresses of one family cannot be judged: deny.
    if (family === 0 || parseIpInto(record.dst, this.dst) !== family) return DEFAULT_DENY;
    return this.judge(
      family,
      this.src,
      this.dst,
      record.proto,
      record.sport,
      record.dport,
      initiatorOf(record, direction === 'from-device'),
      direction,
    );
  }

  matchFlow(flow: FlowTuple, direction: MudDirection): MudDecision {
    const family = flow.srcFamily;
    if (family === 0 || flow.dstFamily !== family) return DEFAULT_DENY;
    return this.judge(
      family,
      flow.src,
      flow.dst,
      flow.proto,
      flow.sport,
      flow.dport,
      initiatorOf(flow, direction === 'from-device'),
      direction,
    );
  }

  /** RFC 8520 App. B: the first rule of the direction's list for the protocol that matches. */
  private judge(
    family: 4 | 6,
    src: Uint32Array,
    dst: Uint32Array,
    protocol: number,
    sport: number,
    dport: number,
    initiator: number,
    direction: MudDirection,
  ): MudDecision {
    if (!(protocol >= 0 && protocol <= 255)) return DEFAULT_DENY;
    const table = direction === 'from-device' ? this.fromDevice : this.toDevice;
    const rules = (family === 4 ? table.v4 : table.v6)[protocol | 0] ?? [];
    for (const rule of rules) {
      if (rule.matches(sport, dport, family, src, dst, initiator)) return rule.decision;
    }
    return DEFAULT_DENY;
  }
}
