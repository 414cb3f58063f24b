/** The fields of a compiled rule (`CompiledRule`) that name ports. */
export interface PortRule {
  readonly decision: { readonly verdict: 'allowed' | 'violation' };
  readonly icmp: boolean;
  readonly protocol: number;
  readonly sportLo: number;
  readonly sportHi: number;
  readonly sportNegate: boolean;
  readonly dportLo: number;
  readonly dportHi: number;
  readonly dportNegate: boolean;
}

/** A port range a MUD file names for one end of one protocol (-1: TCP and UDP alike). */
interface DeclaredRange {
  readonly proto: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * Ranges wider than this say nothing about which end is the service (`range 1024–65535` is a
 * client's ephemeral range written out, not a service).
 */
const MAX_SERVICE_RANGE = 256;

/**
 * The ports a device's MUD file names, split by end: the device's own (it serves them) and the
 * remote's (services the device uses). A violating record's ports are looked up here to tell its
 * service side when the flow's initiator is unknown.
 */
export class DeclaredPorts {
  constructor(
    private readonly device: readonly DeclaredRange[],
    private readonly remote: readonly DeclaredRange[],
  ) {}

  /** Whether the MUD file names `port` as one of the device's own ports for `proto`. */
  hasDevicePort(proto: number, port: number): boolean {
    return covers(this.device, proto, port);
  }

  /** Whether the MUD file names `port` as a remote end's port for `proto`. */
  hasRemotePort(proto: number, port: number): boolean {
    return covers(this.remote, proto, port);
  }
}

function covers(ranges: readonly DeclaredRange[], proto: number, port: number): boolean {
  for (const r of ranges) {
    if ((r.proto === proto || r.proto < 0) && port >= r.lo && port <= r.hi) return true;
  }
  return false;
}

/** Collects the narrow, non-negated port matches of the accept rules of both directions. */
export function declaredPortsOf(
  fromDevice: readonly PortRule[],
  toDevice: readonly PortRule[],
): DeclaredPorts {
  const device: DeclaredRange[] = [];
  const remote: DeclaredRange[] = [];
  const add = (to: DeclaredRange[], proto: number, lo: number, hi: number, negate: boolean) => {
    if (!negate && hi - lo < MAX_SERVICE_RANGE) to.push({ proto, lo, hi });
  };
  for (const r of fromDevice) {
    if (r.decision.verdict !== 'allowed' || r.icmp) continue;
    add(device, r.protocol, r.sportLo, r.sportHi, r.sportNegate);
    add(remote, r.protocol, r.dportLo, r.dportHi, r.dportNegate);
  }
  for (const r of toDevice) {
    if (r.decision.verdict !== 'allowed' || r.icmp) continue;
    add(remote, r.protocol, r.sportLo, r.sportHi, r.sportNegate);
    add(device, r.protocol, r.dportLo, r.dportHi, r.dportNegate);
  }
  return new DeclaredPorts(device, remote);
}
