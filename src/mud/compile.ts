import { AddressSet } from './address-set.js';
import { normaliseDnsName, type MudContext } from './context.js';
import { declaredPortsOf } from './declared-ports.js';
import { parsePrefix, type IpPrefix } from './ip.js';
import {
  buildSwitch,
  CompiledMudMatcher,
  CompiledRule,
  INITIATED_BY_DEVICE,
  INITIATED_BY_REMOTE,
  type MudDecision,
  type MudMatcher,
  type MudNote,
} from './matcher.js';
import type { Ace, Acl, MudAbstraction, MudDirection, MudFile, PortMatch } from './model.js';

/** The IANA controller classes of the implicit DNS and NTP rules (RFC 8520 §17.7). */
export const DNS_CONTROLLER = 'urn:ietf:params:mud:dns';
export const NTP_CONTROLLER = 'urn:ietf:params:mud:ntp';

/**
 * Compiles a parsed MUD file against an operator context into a {@link MudMatcher}: every
 * abstraction, DNS name and network becomes a precomputed address set, ports become ranges, and
 * each direction's ACEs are indexed by protocol. Unmatchable ACEs are left out (they can never
 * allow anything); the implicit DNS and NTP rules follow the explicit ACEs (RFC 8520 §5, App. B).
 *
 * @example
 * const matcher = compileMud(parseMudText(json), parseMudContext(yaml, 'ctx.yaml'));
 * const direction = matcher.directionOf(record);
 * if (direction) console.log(matcher.match(record, direction).verdict);
 */
export function compileMud(mud: MudFile, context: MudContext): MudMatcher {
  const compiler = new Compiler(mud, context);
  const fromDevice = compiler.direction('from-device', mud.fromDevice);
  const toDevice = compiler.direction('to-device', mud.toDevice);
  if (context.device.mudUrl !== undefined && context.device.mudUrl !== mud.mudUrl) {
    compiler.notes.push({
      rule: '',
      message: `the context's device mud_url ${context.device.mudUrl} differs from the file's mud-url ${mud.mudUrl}; same-manufacturer uses the file's`,
    });
  }
  return new CompiledMudMatcher(
    mud.mudUrl,
    new Set(context.device.addresses),
    mud.deviations,
    compiler.notes,
    declaredPortsOf(fromDevice, toDevice),
    buildSwitch(fromDevice),
    buildSwitch(toDevice),
  );
}

/** The authority (host[:port]) of a URL, lower case; undefined when it is not a URL. */
export function authorityOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

const ANY: PortMatch = { lo: 0, hi: 65535, negate: false };

class Compiler {
  readonly notes: MudNote[] = [];
  private readonly sets = new Map<string, AddressSet>();
  private readonly authority: string | undefined;

  constructor(
    private readonly mud: MudFile,
    private readonly context: MudContext,
  ) {
    this.authority = authorityOf(mud.mudUrl);
  }

  direction(direction: MudDirection, aclNames: readonly string[]): CompiledRule[] {
    const rules: CompiledRule[] = [];
    for (const name of aclNames) {
      const acl = this.mud.acls.get(name);
      if (acl === undefined || acl.family === 'eth') continue;
      for (const ace of acl.aces) {
        const rule = this.rule(acl, ace, direction);
        if (rule !== undefined) rules.push(rule);
      }
    }
    rules.push(this.implicit('default:dns', DNS_CONTROLLER, 53, direction));
    rules.push(this.implicit('default:ntp', NTP_CONTROLLER, 123, direction));
    return rules;
  }

  /** RFC 8520 §5: UDP to/from the registered DNS (53) and NTP (123) servers, both families. */
  private implicit(
    rule: string,
    controller: string,
    port: number,
    direction: MudDirection,
  ): CompiledRule {
    const set = this.named(`ctl:${controller}`, this.context.controllers.get(controller) ?? []);
    if (set.size === 0 && direction === 'from-device') {
      this.notes.push({
        rule,
        message: `no ${controller} servers in the context: ${rule} allows nothing`,
      });
    }
    const fromDevice = direction === 'from-device';
    const decision: MudDecision = Object.freeze({ verdict: 'allowed', rule });
    return new CompiledRule(
      decision,
      0,
      17,
      false,
      -1,
      -1,
      fromDevice ? [] : [set],
      fromDevice ? [set] : [],
      fromDevice ? 0 : port,
      fromDevice ? 65535 : port,
      false,
      fromDevice ? port : 0,
      fromDevice ? port : 65535,
      false,
      0,
    );
  }

  private rule(acl: Acl, ace: Ace, direction: MudDirection): CompiledRule | undefined {
    const m = ace.matches;
    if (m.unmatchable.length > 0) return undefined;
    const label = `${acl.name}/${ace.name}`;
    const decision: MudDecision = Object.freeze(
      ace.action === 'accept'
        ? { verdict: 'allowed', rule: label }
        : { verdict: 'violation', rule: '', deniedBy: label },
    );
    const family = m.l3?.family ?? (acl.family === 'ipv4' ? 4 : acl.family === 'ipv6' ? 6 : 0);
    const l4 = m.l4;
    let protocol = m.l3?.protocol ?? -1;
    if (l4?.kind === 'tcp') protocol = 6;
    else if (l4?.kind === 'udp') protocol = 17;
    const icmp = l4?.kind === 'icmp';
    if (icmp) protocol = family === 4 ? 1 : family === 6 ? 58 : -1;

    const src: AddressSet[] = [];
    const dst: AddressSet[] = [];
    const l3 = m.l3;
    if (l3?.sourceNetwork !== undefined) src.push(this.network(l3.sourceNetwork));
    if (l3?.destinationNetwork !== undefined) dst.push(this.network(l3.destinationNetwork));
    if (l3?.sourceDnsName !== undefined) src.push(this.dnsName(l3.sourceDnsName, label));
    if (l3?.destinationDnsName !== undefined) dst.push(this.dnsName(l3.destinationDnsName, label));
    // RFC 8520 §4: every ietf-mud abstraction names the remote end.
    const remote = direction === 'from-device' ? dst : src;
    for (const abstraction of m.mud) remote.push(this.abstraction(abstraction, label));

    const tcpUdp = l4 !== undefined && l4.kind !== 'icmp' ? l4 : undefined;
    const sport = tcpUdp?.sourcePort ?? ANY;
    const dport = tcpUdp?.destinationPort ?? ANY;
    const initiated =
      tcpUdp?.directionInitiated === undefined
        ? 0
        : tcpUdp.directionInitiated === 'from-device'
          ? INITIATED_BY_DEVICE
          : INITIATED_BY_REMOTE;
    const icmpMatch = l4?.kind === 'icmp' ? l4 : undefined;
    return new CompiledRule(
      decision,
      family,
      protocol,
      icmp,
      icmpMatch?.type ?? -1,
      icmpMatch?.code ?? -1,
      src,
      dst,
      sport.lo,
      sport.hi,
      sport.negate,
      dport.lo,
      dport.hi,
      dport.negate,
      initiated,
    );
  }

  private network(text: string): AddressSet {
    return this.named(`net:${text}`, [text]);
  }

  private dnsName(name: string, rule: string): AddressSet {
    const key = normaliseDnsName(name);
    const bound = this.context.dns.get(key) ?? [];
    if (bound.length === 0) {
      this.notes.push({
        rule,
        message: `DNS name ${name} has no address bindings in the context: the ACE matches nothing`,
      });
    }
    return this.named(`dns:${key}`, bound);
  }

  private abstraction(a: MudAbstraction, rule: string): AddressSet {
    const ctx = this.context;
    switch (a.kind) {
      case 'local-networks':
        return this.resolved(
          'local-networks',
          ctx.localNetworks,
          rule,
          'local-networks has no networks in the context',
        );
      case 'my-controller':
        return this.resolved(
          'my-controller',
          ctx.myController,
          rule,
          'my-controller has no addresses in the context',
        );
      case 'controller':
        return this.resolved(
          `ctl:${a.uri}`,
          ctx.controllers.get(a.uri) ?? [],
          rule,
          `controller ${a.uri} has no addresses in the context`,
        );
      case 'manufacturer':
        return this.resolved(
          `mfg:${a.authority}`,
          this.peers((url) => authorityOf(url) === a.authority),
          rule,
          `no peer's MUD URL has the authority ${a.authority}`,
        );
      case 'same-manufacturer': {
        const own = this.authority;
        return this.resolved(
          `mfg:${own ?? ''}`,
          this.peers((url) => own !== undefined && authorityOf(url) === own),
          rule,
          `no peer's MUD URL has this file's authority ${own ?? '(none)'}`,
        );
      }
      case 'model':
        return this.resolved(
          `model:${a.url}`,
          this.peers((url) => url === a.url),
          rule,
          `no peer emits the MUD URL ${a.url}`,
        );
    }
  }

  private peers(accept: (url: string) => boolean): string[] {
    return this.context.peers
      .filter((p) => p.mudUrl !== null && accept(p.mudUrl))
      .map((p) => p.address);
  }

  private resolved(
    key: string,
    networks: readonly string[],
    rule: string,
    empty: string,
  ): AddressSet {
    const set = this.named(key, networks);
    if (set.size === 0) this.notes.push({ rule, message: `${empty}: the ACE matches nothing` });
    return set;
  }

  private named(key: string, networks: readonly string[]): AddressSet {
    let set = this.sets.get(key);
    if (set === undefined) {
      set = new AddressSet(networks.map(parsePrefix).filter((p): p is IpPrefix => p !== undefined));
      this.sets.set(key, set);
    }
    return set;
  }
}
