import { z } from 'zod';
import { canonicalAddress, parsePrefix } from './ip.js';
import { parseYamlWith } from './parse-yaml.js';

/** A Thing the operator knows on its network, with the MUD URL it emitted (null when none). */
export interface MudPeer {
  readonly address: string;
  readonly mudUrl: string | null;
}

/**
 * What the operator knows and the MUD file cannot: the device's addresses, its local networks,
 * name→address bindings for DNS-name ACEs (RFC 9726: forward answers only, never reverse
 * lookups), controller classes, and the peers with their MUD URLs. Addresses are canonical;
 * networks are prefixes (`10.0.0.0/24`) or single addresses.
 */
export interface MudContext {
  readonly device: { readonly addresses: readonly string[]; readonly mudUrl?: string | undefined };
  readonly localNetworks: readonly string[];
  /** Lower-case DNS name without a trailing dot → addresses. */
  readonly dns: ReadonlyMap<string, readonly string[]>;
  /** Controller class URI (e.g. urn:ietf:params:mud:dns) → networks. */
  readonly controllers: ReadonlyMap<string, readonly string[]>;
  readonly myController: readonly string[];
  readonly peers: readonly MudPeer[];
}

/**
 * Destinations that never travel toward a default route, so RFC 8520 §4.1 `local-networks`
 * covers them whatever the operator's prefixes: IPv4 limited broadcast, local-network-control
 * multicast (RFC 5771), administratively scoped multicast (RFC 2365), link-local unicast
 * (RFC 3927, RFC 4291) and interface-, link- and site-scope IPv6 multicast (RFC 4291 §2.7).
 */
export const LINK_SCOPE_NETWORKS: readonly string[] = [
  '255.255.255.255/32',
  '224.0.0.0/24',
  '239.0.0.0/8',
  '169.254.0.0/16',
  'fe80::/10',
  'ff01::/16',
  'ff02::/16',
  'ff05::/16',
];

/** Largest context file read (by `loadMudContext`): contexts list peers and bindings, not traffic. */
export const MAX_CONTEXT_BYTES = 4 * 1024 * 1024;

const address = z
  .string()
  .refine((text) => canonicalAddress(text) !== undefined, 'not an IPv4 or IPv6 address');
const network = z
  .string()
  .refine((text) => parsePrefix(text) !== undefined, 'not an address or CIDR prefix');
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).max(4096)]).transform((v) => (Array.isArray(v) ? v : [v]));
const url = z
  .string()
  .max(2048)
  .refine((text) => URL.canParse(text), 'not a URL');

/** The context YAML (`nospy mud check --context`), field names as the issue gives them. */
export const mudContextSchema = z.strictObject({
  device: z
    .strictObject({
      ipv4: oneOrMany(address).optional(),
      ipv6: oneOrMany(address).optional(),
      mud_url: url.optional(),
    })
    .refine(
      (d) => (d.ipv4?.length ?? 0) + (d.ipv6?.length ?? 0) > 0,
      'the device needs an ipv4 or ipv6 address',
    ),
  local_networks: z.array(network).max(4096).default([]),
  /** Add the destinations no router forwards (limited broadcast, link-scope multicast, link-local) to local_networks. */
  link_scope_is_local: z.boolean().default(true),
  dns: z.record(z.string().min(1).max(253), oneOrMany(address)).default({}),
  controllers: z.record(z.string().min(1).max(2048), oneOrMany(network)).default({}),
  my_controller: oneOrMany(network).default([]),
  peers: z
    .array(z.strictObject({ address, mud_url: url.nullable().default(null) }))
    .max(100_000)
    .default([]),
});

export type MudContextInput = z.input<typeof mudContextSchema>;

/** Lower case, no trailing dot: DNS names compare case-insensitively (RFC 4343). */
export function normaliseDnsName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Turns validated context YAML into a MudContext (canonical addresses, normalised names). */
export function toMudContext(input: z.output<typeof mudContextSchema>): MudContext {
  const canonical = (a: string): string => canonicalAddress(a) ?? a;
  const dns = new Map<string, string[]>();
  for (const [name, addresses] of Object.entries(input.dns)) {
    const key = normaliseDnsName(name);
    dns.set(key, [...(dns.get(key) ?? []), ...addresses.map(canonical)]);
  }
  return {
    device: {
      addresses: [...(input.device.ipv4 ?? []), ...(input.device.ipv6 ?? [])].map(canonical),
      mudUrl: input.device.mud_url,
    },
    localNetworks: input.link_scope_is_local
      ? [...input.local_networks, ...LINK_SCOPE_NETWORKS]
      : input.local_networks,
    dns,
    controllers: new Map(Object.entries(input.controllers)),
    myController: input.my_controller,
    peers: input.peers.map((p) => ({ address: canonical(p.address), mudUrl: p.mud_url })),
  };
}

/** Parses context YAML text; errors (MUD_CONTEXT_INVALID) name `source:line:column` and the field. */
export function parseMudContext(text: string, source = 'context'): MudContext {
  return toMudContext(parseYamlWith(text, source, mudContextSchema, 'MUD_CONTEXT_INVALID'));
}
