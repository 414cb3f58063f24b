import type { FlowRecord } from '../flows/flow-record.js';
import { compileMud } from './compile.js';
import { parseMudContext } from './context.js';
import type { MudMatcher } from './matcher.js';
import { parseMud } from './parse.js';

/** A flow record with defaults, for hand-worked verdict tables. */
export function flow(fields: Partial<FlowRecord> & Pick<FlowRecord, 'src' | 'dst'>): FlowRecord {
  return {
    exporter: '192.0.2.1',
    domain: 0,
    first: Date.UTC(2026, 0, 1),
    last: Date.UTC(2026, 0, 1, 0, 0, 1),
    proto: 6,
    sport: 40000,
    dport: 443,
    packets: 1,
    bytes: 100,
    sampling: 1,
    origin: 'unknown',
    ...fields,
  };
}

/** A MUD file (RFC 8520 JSON) with one ACL per direction holding the given ACEs. */
export function mudJson(
  fromDevice: readonly unknown[],
  toDevice: readonly unknown[] = [],
  options: { url?: string; type?: string } = {},
): unknown {
  const type = options.type ?? 'ipv4-acl-type';
  return {
    'ietf-mud:mud': {
      'mud-version': 1,
      'mud-url': options.url ?? 'https://thing.example.com/thing-1',
      'last-update': '2026-01-01T00:00:00Z',
      'is-supported': true,
      'from-device-policy': { 'access-lists': { 'access-list': [{ name: 'from' }] } },
      'to-device-policy': { 'access-lists': { 'access-list': [{ name: 'to' }] } },
    },
    'ietf-access-control-list:acls': {
      acl: [
        { name: 'from', type, aces: { ace: fromDevice } },
        { name: 'to', type, aces: { ace: toDevice } },
      ],
    },
  };
}

/** An accept ACE. */
export function accept(name: string, matches: unknown): unknown {
  return { name, matches, actions: { forwarding: 'accept' } };
}

export const DEVICE = '10.0.0.2';

/** The context most tables use: device 10.0.0.2 / 2001:db8::2 on 10.0.0.0/24. */
export const CONTEXT_YAML = `
device:
  ipv4: ${DEVICE}
  ipv6: 2001:db8::2
  mud_url: https://thing.example.com/thing-1
local_networks: [10.0.0.0/24, 2001:db8::/64]
dns:
  cloud.example.com: [198.51.100.10, 2001:db8:100::10]
controllers:
  urn:ietf:params:mud:dns: [10.0.0.53]
  urn:ietf:params:mud:ntp: [10.0.0.123]
  https://controller.example.com/hub: [10.0.0.9]
my_controller: [10.0.0.7]
peers:
  - { address: 10.0.0.20, mud_url: https://thing.example.com/thing-1 }
  - { address: 10.0.0.21, mud_url: https://thing.example.com/thing-2 }
  - { address: 10.0.0.30, mud_url: https://toothbrush.example.org/brush }
  - { address: 10.0.0.40, mud_url: null }
`;

/** Parses and compiles a MUD JSON value against context YAML (CONTEXT_YAML by default). */
export function matcherFor(json: unknown, contextYaml: string = CONTEXT_YAML): MudMatcher {
  return compileMud(parseMud(json), parseMudContext(contextYaml, 'ctx.yaml'));
}
