import { FirmwareError } from './errors.js';
import type { Indicator } from './indicators/types.js';

/**
 * A minimal reader of what a release's MUD file (RFC 8520) declares, for comparing with what
 * the image starts: which ports the device may be reached on (to-device ACEs) and which hosts
 * it may reach (from-device ACEs with `ietf-acldns:dst-dnsname` or a destination network).
 * Only accepting ACEs count. A full matcher lives in src/mud; this one is deliberately small.
 */
export interface Declaration {
  readonly listeners: readonly DeclaredPort[];
  readonly destinations: readonly DeclaredDestination[];
}

interface PortRange {
  readonly low: number;
  readonly high: number;
}

export interface DeclaredPort {
  readonly protocol: 'tcp' | 'udp' | 'any';
  readonly ports?: PortRange;
}

export interface DeclaredDestination extends DeclaredPort {
  readonly dnsname?: string;
  /** IPv4 network as [address, prefix length]. */
  readonly network?: readonly [number, number];
  /** `ietf-mud:mud` `local-networks`: RFC 1918 and link-local addresses. */
  readonly localNetworks?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const object = (value: unknown): Json => (isObject(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** RFC 8519 port-range-or-operator: `{operator, port}` or `{lower-port, upper-port}`. */
function portRange(value: unknown): PortRange | undefined {
  const spec = object(value);
  if (typeof spec['lower-port'] === 'number' && typeof spec['upper-port'] === 'number') {
    return { low: spec['lower-port'], high: spec['upper-port'] };
  }
  if (typeof spec.port !== 'number') return undefined;
  switch (spec.operator ?? 'eq') {
    case 'lte':
      return { low: 0, high: spec.port };
    case 'gte':
      return { low: spec.port, high: 65535 };
    case 'eq':
      return { low: spec.port, high: spec.port };
    default:
      return { low: 0, high: 65535 };
  }
}

function ipv4ToInt(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function network(text: unknown): readonly [number, number] | undefined {
  if (typeof text !== 'string') return undefined;
  const [address, length] = text.split('/');
  const base = ipv4ToInt(address ?? '');
  const bits = Number(length ?? '32');
  return base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32
    ? undefined
    : [base, bits];
}

/** Parses a MUD file's JSON text into what it declares. */
export function readMudDeclaration(text: string, where: string): Declaration {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new FirmwareError(
      'FIRMWARE_MUD_INVALID',
      `${where}: not JSON: ${(error as Error).message}`,
      { where },
    );
  }
  const mud = object(object(document)['ietf-mud:mud']);
  if (Object.keys(mud).length === 0) {
    throw new FirmwareError(
      'FIRMWARE_MUD_INVALID',
      `${where}: no "ietf-mud:mud" container (RFC 8520 §2.1)`,
      { where },
    );
  }
  const names = (policy: string): Set<string> =>
    new Set(
      list(object(object(mud[policy])['access-lists'])['access-list']).map((a) =>
        String(object(a).name),
      ),
    );
  const fromDevice = names('from-device-policy');
  const toDevice = names('to-device-policy');
  const listeners: DeclaredPort[] = [];
  const destinations: DeclaredDestination[] = [];
  for (const acl of list(object(object(document)['ietf-access-control-list:acls']).acl)) {
    const name = String(object(acl).name);
    for (const ace of list(object(object(acl).aces).ace)) {
      const matches = object(object(ace).matches);
      if (object(object(ace).actions).forwarding !== 'accept') continue;
      const ip = object(matches.ipv4 ?? matches.ipv6);
      const tcp = isObject(matches.tcp) ? matches.tcp : undefined;
      const udp = isObject(matches.udp) ? matches.udp : undefined;
      const protocol =
        tcp !== undefined
          ? 'tcp'
          : udp !== undefined
            ? 'udp'
            : ip.protocol === 6
              ? 'tcp'
              : ip.protocol === 17
                ? 'udp'
                : 'any';
      const transport = object(tcp ?? udp);
      const dst = portRange(transport['destination-port']);
      const src = portRange(transport['source-port']);
      const mudMatch = object(matches['ietf-mud:mud']);
      if (toDevice.has(name)) {
        listeners.push({ protocol, ...(dst === undefined ? {} : { ports: dst }) });
      }
      if (fromDevice.has(name)) {
        // A from-device ACE with a source port answers connections to that port: a listener.
        if (src !== undefined && transport['ietf-mud:direction-initiated'] !== 'from-device')
          listeners.push({ protocol, ports: src });
        const dnsname = ip['ietf-acldns:dst-dnsname'];
        const net = network(ip['destination-ipv4-network']);
        destinations.push({
          protocol,
          ...(dst === undefined ? {} : { ports: dst }),
          ...(typeof dnsname === 'string'
            ? { dnsname: dnsname.toLowerCase().replace(/\.$/, '') }
            : {}),
          ...(net === undefined ? {} : { network: net }),
          ...('local-networks' in mudMatch ? { localNetworks: true } : {}),
        });
      }
    }
  }
  return { listeners, destinations };
}

const portFits = (
  declared: DeclaredPort,
  protocol: string | undefined,
  port: number | undefined,
): boolean =>
  (declared.protocol === 'any' || protocol === undefined || declared.protocol === protocol) &&
  (declared.ports === undefined ||
    (port !== undefined && port >= declared.ports.low && port <= declared.ports.high));

function inNetwork(address: number, [base, bits]: readonly [number, number]): boolean {
  const size = 2 ** (32 - bits);
  return Math.floor(address / size) === Math.floor(base / size);
}

const LOCAL: readonly (readonly [number, number])[] = [
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16],
  [0xa9fe0000, 16],
];

/** Whether a listener or destination indicator is covered by the declaration. */
export function isDeclared(declaration: Declaration, indicator: Indicator): boolean {
  if (indicator.kind === 'listening_service') {
    return declaration.listeners.some(
      (d) => d.ports !== undefined && portFits(d, indicator.protocol, indicator.port),
    );
  }
  const host = indicator.host ?? '';
  const address = ipv4ToInt(host);
  return declaration.destinations.some((d) => {
    // The transport too, when known: a MUD file allowing tcp/123 does not allow NTP (udp/123).
    if (!portFits(d, indicator.protocol, indicator.port)) return false;
    if (d.dnsname !== undefined && d.dnsname === host) return true;
    if (address === undefined) return false;
    if (d.network !== undefined && inNetwork(address, d.network)) return true;
    return d.localNetworks === true && LOCAL.some((n) => inNetwork(address, n));
  });
}
