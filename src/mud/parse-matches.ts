import {
  asInteger,
  asString,
  describe,
  invalid,
  isEmptyLeaf,
  JsonNode,
  stripPrefix,
} from './json-node.js';
import { parsePrefix } from './ip.js';
import type {
  AclFamily,
  AceMatches,
  L3Match,
  L4Match,
  MudAbstraction,
  MudDeviation,
  MudDirection,
  PortMatch,
} from './model.js';

/** RFC 8519 §4.1 fields a flow record does not carry: an ACE that uses one can never be decided, so it never matches. */
const UNCHECKABLE_L3 = new Set([
  'dscp',
  'ecn',
  'length',
  'ttl',
  'ihl',
  'flags',
  'offset',
  'identification',
  'flow-label',
]);
const UNCHECKABLE_TCP = new Set([
  'sequence-number',
  'acknowledgement-number',
  'data-offset',
  'reserved',
  'flags',
  'window-size',
  'urgent-pointer',
  'options',
]);

/** The only controller classes IANA registered under urn:ietf:params:mud (RFC 8520 §17.7). */
const REGISTERED_CONTROLLERS = new Set(['urn:ietf:params:mud:dns', 'urn:ietf:params:mud:ntp']);

interface Sink {
  readonly deviations: MudDeviation[];
  readonly unmatchable: string[];
}

/**
 * Reads one ACE's `matches` container. Nothing is dropped: a node nospy cannot evaluate on a
 * flow record, or does not know, makes the ACE unmatchable (it can only narrow what is allowed)
 * and is reported; a malformed value of a known node throws MUD_INVALID with its path.
 */
export function parseMatches(
  raw: unknown,
  path: string,
  aclFamily: AclFamily,
  deviations: MudDeviation[],
): AceMatches {
  const sink: Sink = { deviations, unmatchable: [] };
  if (raw === undefined) return finish(undefined, undefined, [], sink, path, aclFamily);
  const node = JsonNode.of(raw, path, 'matches');
  const v4 = node.take('ipv4', 'ipv4-acl');
  const v6 = node.take('ipv6', 'ipv6-acl');
  for (const legacy of [v4, v6]) {
    if (legacy?.key.endsWith('-acl') === true) {
      deviate(
        sink,
        legacy.path,
        'legacy-name',
        `pre-RFC container "${legacy.key}" read as "${legacy.key.slice(0, 4)}"`,
      );
    }
  }
  let l3: L3Match | undefined;
  const legacyPorts: { source?: PortMatch; destination?: PortMatch } = {};
  if (v4 !== undefined && v6 !== undefined) {
    unmatchable(sink, path, 'both an ipv4 and an ipv6 match (RFC 8519 makes them a choice)');
  } else if (v4 !== undefined) {
    l3 = parseL3(v4.value, v4.path, 4, sink, legacyPorts);
  } else if (v6 !== undefined) {
    l3 = parseL3(v6.value, v6.path, 6, sink, legacyPorts);
  }

  const l4Nodes = ['tcp', 'udp', 'icmp']
    .map((name) => node.take(name))
    .filter((n) => n !== undefined);
  let l4: L4Match | undefined;
  if (l4Nodes.length > 1) {
    unmatchable(sink, path, `more than one of tcp, udp, icmp (RFC 8519 makes them a choice)`);
  } else if (l4Nodes[0] !== undefined) {
    l4 = parseL4(l4Nodes[0].key as 'tcp' | 'udp' | 'icmp', l4Nodes[0].value, l4Nodes[0].path, sink);
  }
  if (legacyPorts.source !== undefined || legacyPorts.destination !== undefined) {
    l4 = mergeLegacyPorts(l4, l3?.protocol, legacyPorts, sink, path);
  }

  const mudNode = node.take('ietf-mud:mud', 'mud');
  const mud: MudAbstraction[] = [];
  if (mudNode !== undefined) {
    if (mudNode.key === 'mud')
      deviate(sink, mudNode.path, 'legacy-name', '"mud" read as "ietf-mud:mud"');
    parseAbstractions(mudNode.value, mudNode.path, sink, mud);
  }

  const eth = node.take('eth', 'ietf-access-control-list:eth');
  if (eth !== undefined) parseImpliedEth(eth.value, eth.path, l3, aclFamily, sink);

  for (const key of node.rest()) {
    unmatchable(sink, node.child(key), `unknown or unevaluable match "${key}"`);
  }
  return finish(l3, l4, mud, sink, path, aclFamily);
}

function finish(
  l3: L3Match | undefined,
  l4: L4Match | undefined,
  mud: MudAbstraction[],
  sink: Sink,
  path: string,
  aclFamily: AclFamily,
): AceMatches {
  if (l3 !== undefined && (aclFamily === 'ipv4' || aclFamily === 'ipv6')) {
    if (`ipv${l3.family}` !== aclFamily) {
      unmatchable(sink, path, `an ipv${l3.family} match inside an ${aclFamily} ACL`);
    }
  }
  // RFC 8519 §4.1: a tcp/udp/icmp container implies its protocol; a different explicit protocol contradicts it.
  if (l4 !== undefined && l3?.protocol !== undefined) {
    const family = l3.family;
    const wanted = l4.kind === 'tcp' ? 6 : l4.kind === 'udp' ? 17 : family === 4 ? 1 : 58;
    if (l3.protocol !== wanted) {
      unmatchable(sink, path, `protocol ${l3.protocol} contradicts the ${l4.kind} match`);
    }
  }
  return { l3, l4, mud, unmatchable: sink.unmatchable };
}

function deviate(sink: Sink, path: string, kind: MudDeviation['kind'], message: string): void {
  sink.deviations.push({ path, kind, message });
}

function unmatchable(sink: Sink, path: string, reason: string): void {
  sink.unmatchable.push(`${path}: ${reason}`);
  deviate(sink, path, 'unmatchable-ace', `${reason}; the ACE never matches`);
}

function parseL3(
  raw: unknown,
  path: string,
  family: 4 | 6,
  sink: Sink,
  legacyPorts: { source?: PortMatch; destination?: PortMatch },
): L3Match {
  const node = JsonNode.of(raw, path, `ipv${family}`);
  const protocolNode = node.take('protocol');
  const protocol =
    protocolNode === undefined
      ? undefined
      : asInteger(protocolNode.value, protocolNode.path, 'protocol', 0, 255);
  const network = (side: 'source' | 'destination'): string | undefined => {
    const found = node.take(`${side}-ipv${family}-network`);
    if (found === undefined) return undefined;
    const text = asString(found.value, found.path, 'a network');
    const prefix = parsePrefix(text);
    if (prefix?.family !== family)
      throw invalid(found.path, `not an IPv${family} prefix: ${describe(text)}`);
    return text;
  };
  const sourceNetwork = network('source');
  const destinationNetwork = network('destination');
  const name = (side: 'src' | 'dst'): string | undefined => {
    const found = node.take(`ietf-acldns:${side}-dnsname`, `${side}-dnsname`);
    if (found === undefined) return undefined;
    if (!found.key.startsWith('ietf-acldns:')) {
      deviate(sink, found.path, 'legacy-name', `"${found.key}" read as "ietf-acldns:${found.key}"`);
    }
    return asString(found.value, found.path, 'a DNS name');
  };
  const sourceDnsName = name('src');
  const destinationDnsName = name('dst');
  for (const side of ['source', 'destination'] as const) {
    const legacy = node.take(`${side}-port-range-or-operator`);
    if (legacy === undefined) continue;
    deviate(
      sink,
      legacy.path,
      'legacy-name',
      `pre-RFC "${legacy.key}" read as the ${side}-port of the tcp/udp match`,
    );
    const port = parsePort(legacy.value, legacy.path, sink);
    if (port !== undefined) legacyPorts[side] = port;
  }
  for (const key of node.rest()) {
    unmatchable(
      sink,
      node.child(key),
      UNCHECKABLE_L3.has(key)
        ? `"${key}" is not carried by flow records`
        : `unknown ipv${family} match "${key}"`,
    );
  }
  return { family, protocol, sourceNetwork, destinationNetwork, sourceDnsName, destinationDnsName };
}

function parseL4(kind: 'tcp' | 'udp' | 'icmp', raw: unknown, path: string, sink: Sink): L4Match {
  const node = JsonNode.of(raw, path, kind);
  if (kind === 'icmp') {
    const type = node.take('type');
    const code = node.take('code');
    for (const key of node.rest()) {
      unmatchable(
        sink,
        node.child(key),
        key === 'rest-of-header'
          ? '"rest-of-header" is not carried by flow records'
          : `unknown icmp match "${key}"`,
      );
    }
    return {
      kind,
      type: type === undefined ? undefined : asInteger(type.value, type.path, 'icmp type', 0, 255),
      code: code === undefined ? undefined : asInteger(code.value, code.path, 'icmp code', 0, 255),
    };
  }
  const port = (side: 'source' | 'destination'): PortMatch | undefined => {
    const found = node.take(`${side}-port`);
    return found === undefined ? undefined : parsePort(found.value, found.path, sink);
  };
  const sourcePort = port('source');
  const destinationPort = port('destination');
  let directionInitiated: MudDirection | undefined;
  if (kind === 'tcp') {
    const found = node.take('ietf-mud:direction-initiated', 'direction-initiated');
    if (found !== undefined) {
      if (found.key === 'direction-initiated') {
        deviate(
          sink,
          found.path,
          'legacy-name',
          '"direction-initiated" read as "ietf-mud:direction-initiated"',
        );
      }
      if (found.value === 'from-device' || found.value === 'to-device')
        directionInitiated = found.value;
      else
        unmatchable(
          sink,
          found.path,
          `direction-initiated must be from-device or to-device, found ${describe(found.value)}`,
        );
    }
  }
  for (const key of node.rest()) {
    unmatchable(
      sink,
      node.child(key),
      (kind === 'tcp' ? UNCHECKABLE_TCP : new Set(['length'])).has(key)
        ? `"${key}" is not carried by flow records`
        : `unknown ${kind} match "${key}"`,
    );
  }
  return { kind, sourcePort, destinationPort, directionInitiated };
}

const ANY_PORT: PortMatch = { lo: 0, hi: 65535, negate: false };

/**
 * RFC 8519 `port-range-or-operator`: either `{operator?, port}` (operator eq|neq|lte|gte,
 * default eq) or `{lower-port, upper-port}`. Real files also write `range` or `eq` with
 * lower/upper ports, and `lt`/`gt`; those are read as the range they plainly mean and reported.
 * Undefined means "never matches" (already reported).
 */
function parsePort(raw: unknown, path: string, sink: Sink): PortMatch | undefined {
  const node = JsonNode.of(raw, path, 'a port match');
  const operatorNode = node.take('operator');
  const portNode = node.take('port');
  const lowerNode = node.take('lower-port');
  const upperNode = node.take('upper-port');
  for (const key of node.rest()) unmatchable(sink, node.child(key), `unknown port match "${key}"`);
  const operator =
    operatorNode === undefined
      ? undefined
      : stripPrefix(asString(operatorNode.value, operatorNode.path, 'operator'));
  const num = (found: { value: unknown; path: string }, what: string): number =>
    asInteger(found.value, found.path, what, 0, 65535);

  if (lowerNode !== undefined || upperNode !== undefined) {
    if (lowerNode === undefined || upperNode === undefined || portNode !== undefined) {
      unmatchable(sink, path, 'a port range needs exactly lower-port and upper-port');
      return undefined;
    }
    const lo = num(lowerNode, 'lower-port');
    const hi = num(upperNode, 'upper-port');
    if (operator !== undefined) {
      if (operator !== 'range' && operator !== 'eq') {
        unmatchable(sink, path, `operator "${operator}" with lower-port/upper-port`);
        return undefined;
      }
      deviate(
        sink,
        path,
        'nonstandard-port-match',
        `operator "${operator}" with lower-port/upper-port read as the range ${lo}-${hi}`,
      );
    }
    if (lo > hi) {
      unmatchable(sink, path, `lower-port ${lo} is above upper-port ${hi}`);
      return undefined;
    }
    return { lo, hi, negate: false };
  }
  if (portNode === undefined) {
    if (operatorNode !== undefined) {
      unmatchable(sink, path, 'an operator without a port');
      return undefined;
    }
    return ANY_PORT;
  }
  const port = num(portNode, 'port');
  switch (operator ?? 'eq') {
    case 'eq':
      return { lo: port, hi: port, negate: false };
    case 'neq':
      return { lo: port, hi: port, negate: true };
    case 'lte':
      return { lo: 0, hi: port, negate: false };
    case 'gte':
      return { lo: port, hi: 65535, negate: false };
    case 'lt':
    case 'gt': {
      deviate(
        sink,
        path,
        'nonstandard-port-match',
        `operator "${operator}" (RFC 8519 has lte/gte) read as strictly ${operator === 'lt' ? 'below' : 'above'} ${port}`,
      );
      if (operator === 'lt')
        return port === 0
          ? { lo: 0, hi: 65535, negate: true }
          : { lo: 0, hi: port - 1, negate: false };
      return port === 65535
        ? { lo: 0, hi: 65535, negate: true }
        : { lo: port + 1, hi: 65535, negate: false };
    }
    default:
      unmatchable(sink, path, `unknown port operator "${String(operator)}"`);
      return undefined;
  }
}

function mergeLegacyPorts(
  l4: L4Match | undefined,
  protocol: number | undefined,
  ports: { source?: PortMatch; destination?: PortMatch },
  sink: Sink,
  path: string,
): L4Match | undefined {
  const kind = l4?.kind ?? (protocol === 6 ? 'tcp' : protocol === 17 ? 'udp' : undefined);
  if (kind === undefined || kind === 'icmp') {
    unmatchable(sink, path, 'port ranges in the ip match without a tcp or udp protocol');
    return l4;
  }
  const base =
    l4 !== undefined && l4.kind !== 'icmp'
      ? l4
      : { kind, sourcePort: undefined, destinationPort: undefined, directionInitiated: undefined };
  return {
    kind,
    sourcePort: base.sourcePort ?? ports.source,
    destinationPort: base.destinationPort ?? ports.destination,
    directionInitiated: base.directionInitiated,
  };
}

function parseAbstractions(raw: unknown, path: string, sink: Sink, out: MudAbstraction[]): void {
  const node = JsonNode.of(raw, path, 'ietf-mud:mud match');
  const flag = (name: 'same-manufacturer' | 'local-networks' | 'my-controller'): void => {
    const found = node.take(name);
    if (found === undefined) return;
    if (!isEmptyLeaf(found.value)) {
      if (
        found.value === null ||
        found.value === true ||
        (Array.isArray(found.value) && found.value.length === 0)
      ) {
        deviate(
          sink,
          found.path,
          'missing-or-invalid-leaf',
          `empty leaf written as ${JSON.stringify(found.value)} instead of [null] (RFC 7951 §6.9); read as present`,
        );
      } else {
        throw invalid(
          found.path,
          `${name} is an empty leaf ([null]), found ${describe(found.value)}`,
        );
      }
    }
    out.push({ kind: name });
  };
  const manufacturer = node.take('manufacturer');
  if (manufacturer !== undefined) {
    out.push({
      kind: 'manufacturer',
      authority: asString(manufacturer.value, manufacturer.path, 'manufacturer').toLowerCase(),
    });
  }
  flag('same-manufacturer');
  const model = node.take('model');
  if (model !== undefined)
    out.push({ kind: 'model', url: asString(model.value, model.path, 'model') });
  flag('local-networks');
  const controller = node.take('controller');
  if (controller !== undefined) {
    const uri = asString(controller.value, controller.path, 'controller');
    if (
      uri.toLowerCase().startsWith('urn:ietf:params:mud:') &&
      !REGISTERED_CONTROLLERS.has(uri.toLowerCase())
    ) {
      deviate(
        sink,
        controller.path,
        'unregistered-controller',
        `"${uri}" is not a registered controller class; it resolves only through the operator context`,
      );
    }
    out.push({ kind: 'controller', uri });
  }
  flag('my-controller');
  for (const key of node.rest())
    unmatchable(sink, node.child(key), `unknown ietf-mud:mud match "${key}"`);
}

const BROADCAST_MAC = /^ff(:ff){5}$/i;

/**
 * MUDgee puts `eth` matches inside IP ACEs. Flow records carry no MAC addresses, so an eth
 * match is accepted only where the IP match already implies it (the IPv4/IPv6 ethertype, the
 * broadcast MAC of 255.255.255.255); anything else makes the ACE unmatchable.
 */
function parseImpliedEth(
  raw: unknown,
  path: string,
  l3: L3Match | undefined,
  aclFamily: AclFamily,
  sink: Sink,
): void {
  const node = JsonNode.of(raw, path, 'eth match');
  const family = l3?.family ?? (aclFamily === 'ipv4' ? 4 : aclFamily === 'ipv6' ? 6 : undefined);
  const implied: string[] = [];
  const ethertype = node.take('ethertype');
  if (ethertype !== undefined) {
    const value =
      typeof ethertype.value === 'number'
        ? ethertype.value
        : typeof ethertype.value === 'string'
          ? Number.parseInt(
              ethertype.value,
              ethertype.value.toLowerCase().startsWith('0x') ? 16 : 10,
            )
          : Number.NaN;
    if ((family === 4 && value === 0x0800) || (family === 6 && value === 0x86dd))
      implied.push(`ethertype ${String(ethertype.value)}`);
    else
      unmatchable(
        sink,
        ethertype.path,
        `ethertype ${describe(ethertype.value)} cannot be checked on flow records`,
      );
  }
  const mac = node.take('destination-mac-address');
  if (mac !== undefined) {
    if (
      family === 4 &&
      typeof mac.value === 'string' &&
      BROADCAST_MAC.test(mac.value) &&
      l3?.destinationNetwork === '255.255.255.255/32'
    ) {
      implied.push('the broadcast destination MAC of 255.255.255.255');
    } else {
      unmatchable(
        sink,
        mac.path,
        `destination-mac-address ${describe(mac.value)} cannot be checked on flow records`,
      );
    }
  }
  for (const key of node.rest())
    unmatchable(sink, node.child(key), `eth match "${key}" cannot be checked on flow records`);
  if (implied.length > 0)
    deviate(
      sink,
      path,
      'implied-match',
      `eth match inside an IP ACE accepted as implied by the IP match: ${implied.join(', ')}`,
    );
}
