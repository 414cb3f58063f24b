import { asInteger, asString, describe, invalid, JsonNode } from './json-node.js';
import { deviate, unmatchable, type MatchSink as Sink } from './match-sink.js';
import { parsePrefix } from './ip.js';
import { parseAbstractions, parseImpliedEth } from './parse-abstractions.js';
import { parsePort } from './parse-port.js';
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
