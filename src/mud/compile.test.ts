import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accept, CONTEXT_YAML, DEVICE, flow, matcherFor, mudJson } from './test-support.js';
import type { FlowRecord } from '../flows/flow-record.js';
import type { MudDirection } from './model.js';
import type { MudMatcher } from './matcher.js';

type Row = readonly [
  label: string,
  record: FlowRecord,
  direction: MudDirection,
  verdict: 'allowed' | 'violation',
  rule: string,
];

function table(matcher: MudMatcher, rows: readonly Row[]): void {
  for (const [label, record, direction, verdict, rule] of rows) {
    const decision = matcher.match(record, direction);
    expect({ label, verdict: decision.verdict, rule: decision.rule }).toEqual({
      label,
      verdict,
      rule,
    });
  }
}

const out = (dst: string, fields: Partial<FlowRecord> = {}): FlowRecord =>
  flow({ src: DEVICE, dst, ...fields });
const into = (src: string, fields: Partial<FlowRecord> = {}): FlowRecord =>
  flow({ src, dst: DEVICE, ...fields });

describe('ACE order', () => {
  const matcher = matcherFor(
    mudJson([
      {
        name: 'no-telnet',
        matches: {
          ipv4: { protocol: 6 },
          tcp: { 'destination-port': { operator: 'eq', port: 23 } },
        },
        actions: { forwarding: 'drop' },
      },
      accept('any-tcp', { ipv4: { protocol: 6 } }),
      accept('https', { tcp: { 'destination-port': { port: 443 } } }),
    ]),
  );
  it('lets the first matching ACE decide, a drop included', () => {
    table(matcher, [
      [
        'telnet hits the drop first',
        out('203.0.113.5', { dport: 23 }),
        'from-device',
        'violation',
        '',
      ],
      [
        'https hits any-tcp before https',
        out('203.0.113.5', { dport: 443 }),
        'from-device',
        'allowed',
        'from/any-tcp',
      ],
      [
        'udp matches nothing',
        out('203.0.113.5', { proto: 17, dport: 443 }),
        'from-device',
        'violation',
        '',
      ],
    ]);
  });
  it('names the drop ACE that denied', () => {
    expect(matcher.match(out('203.0.113.5', { dport: 23 }), 'from-device').deniedBy).toBe(
      'from/no-telnet',
    );
    expect(
      matcher.match(out('203.0.113.5', { proto: 17 }), 'from-device').deniedBy,
    ).toBeUndefined();
  });
});

describe('default deny and the implicit DNS/NTP rules (RFC 8520 §5)', () => {
  const matcher = matcherFor(mudJson([], []));
  it('allows only UDP 53/123 with the registered servers, after the explicit ACEs', () => {
    table(matcher, [
      [
        'dns query to the registered server',
        out('10.0.0.53', { proto: 17, dport: 53 }),
        'from-device',
        'allowed',
        'default:dns',
      ],
      [
        'dns answer from it',
        into('10.0.0.53', { proto: 17, sport: 53, dport: 5353 }),
        'to-device',
        'allowed',
        'default:dns',
      ],
      [
        'ntp query',
        out('10.0.0.123', { proto: 17, dport: 123 }),
        'from-device',
        'allowed',
        'default:ntp',
      ],
      [
        'ntp answer',
        into('10.0.0.123', { proto: 17, sport: 123, dport: 123 }),
        'to-device',
        'allowed',
        'default:ntp',
      ],
      [
        'dns to a public resolver',
        out('8.8.8.8', { proto: 17, dport: 53 }),
        'from-device',
        'violation',
        '',
      ],
      [
        'ntp port to the dns server',
        out('10.0.0.53', { proto: 17, dport: 123 }),
        'from-device',
        'violation',
        '',
      ],
      [
        'tcp 53 is not the implicit rule',
        out('10.0.0.53', { proto: 6, dport: 53 }),
        'from-device',
        'violation',
        '',
      ],
      ['anything else', out('10.0.0.53', { proto: 6, dport: 443 }), 'from-device', 'violation', ''],
    ]);
  });
  it('lets an explicit drop before it override the implicit rule', () => {
    const m = matcherFor(
      mudJson([
        {
          name: 'no-dns',
          matches: { udp: { 'destination-port': { port: 53 } } },
          actions: { forwarding: 'drop' },
        },
      ]),
    );
    expect(m.match(out('10.0.0.53', { proto: 17, dport: 53 }), 'from-device').verdict).toBe(
      'violation',
    );
  });
});

describe('direction-initiated (RFC 8520 §3.4 tcp augmentation)', () => {
  const tcp = (value: string, port: 'destination-port' | 'source-port') => ({
    ipv4: { protocol: 6 },
    tcp: { 'ietf-mud:direction-initiated': value, [port]: { operator: 'eq', port: 443 } },
  });
  const matcher = matcherFor(
    mudJson(
      [accept('out', tcp('from-device', 'destination-port'))],
      [
        accept('back', tcp('from-device', 'source-port')),
        accept('web-ui', {
          tcp: { 'ietf-mud:direction-initiated': 'to-device', 'destination-port': { port: 80 } },
        }),
      ],
    ),
  );
  it('is satisfied only when the initiator is known to be the right end', () => {
    table(matcher, [
      [
        'device opened (initiator column)',
        out('203.0.113.5', { initiator: 'device' }),
        'from-device',
        'allowed',
        'from/out',
      ],
      [
        'device opened (origin src)',
        out('203.0.113.5', { origin: 'src' }),
        'from-device',
        'allowed',
        'from/out',
      ],
      [
        'remote opened',
        out('203.0.113.5', { initiator: 'remote' }),
        'from-device',
        'violation',
        '',
      ],
      ['unknown never satisfies it', out('203.0.113.5'), 'from-device', 'violation', ''],
      [
        'reply leg of a device-opened connection (origin dst)',
        into('203.0.113.5', { sport: 443, dport: 40000, origin: 'dst' }),
        'to-device',
        'allowed',
        'to/back',
      ],
      [
        'inbound leg of a remote-opened connection',
        into('203.0.113.5', { sport: 443, dport: 40000, origin: 'src' }),
        'to-device',
        'violation',
        '',
      ],
      [
        'inbound, unknown',
        into('203.0.113.5', { sport: 443, dport: 40000 }),
        'to-device',
        'violation',
        '',
      ],
      [
        'to-device: remote opened the web UI',
        into('10.0.0.99', { dport: 80, initiator: 'remote' }),
        'to-device',
        'allowed',
        'to/web-ui',
      ],
      ['to-device: unknown', into('10.0.0.99', { dport: 80 }), 'to-device', 'violation', ''],
      [
        'to-device: device opened',
        into('10.0.0.99', { dport: 80, initiator: 'device' }),
        'to-device',
        'violation',
        '',
      ],
    ]);
  });
});

describe('DNS-name ACEs (ietf-acldns) through the operator bindings', () => {
  const v4 = accept('cloud', {
    ipv4: { 'ietf-acldns:dst-dnsname': 'Cloud.Example.com.', protocol: 6 },
    tcp: { 'destination-port': { port: 443 } },
  });
  const v6 = accept('cloud6', {
    ipv6: { 'ietf-acldns:dst-dnsname': 'cloud.example.com', protocol: 6 },
  });
  const back = accept('cloud-back', { ipv4: { 'ietf-acldns:src-dnsname': 'cloud.example.com' } });
  const matcher = matcherFor({
    ...(mudJson([v4], [back]) as object),
    'ietf-access-control-list:acls': {
      acl: [
        { name: 'from', type: 'ipv4-acl-type', aces: { ace: [v4] } },
        { name: 'from6', type: 'ipv6-acl-type', aces: { ace: [v6] } },
        {
          name: 'to',
          type: 'ipv4-acl-type',
          aces: {
            ace: [
              back,
              accept('unbound', { ipv4: { 'ietf-acldns:src-dnsname': 'nowhere.example.net' } }),
            ],
          },
        },
      ],
    },
    'ietf-mud:mud': {
      'mud-version': 1,
      'mud-url': 'https://thing.example.com/thing-1',
      'from-device-policy': {
        'access-lists': { 'access-list': [{ name: 'from' }, { name: 'from6' }] },
      },
      'to-device-policy': { 'access-lists': { 'access-list': [{ name: 'to' }] } },
    },
  });
  it('matches exactly the bound addresses, case-insensitively, per family', () => {
    table(matcher, [
      ['bound v4 address', out('198.51.100.10'), 'from-device', 'allowed', 'from/cloud'],
      ['unbound address', out('198.51.100.11'), 'from-device', 'violation', ''],
      [
        'bound v6 address in the v6 ACL',
        flow({ src: '2001:db8::2', dst: '2001:db8:100::10' }),
        'from-device',
        'allowed',
        'from6/cloud6',
      ],
      [
        'v4 ACE does not see v6',
        flow({ src: '2001:db8::2', dst: '2001:db8:100::11' }),
        'from-device',
        'violation',
        '',
      ],
      [
        'src-dnsname names the remote sender',
        into('198.51.100.10', { proto: 17 }),
        'to-device',
        'allowed',
        'to/cloud-back',
      ],
    ]);
  });
  it('notes a name the context binds to nothing', () => {
    expect(matcher.notes.map((n) => n.message).join('\n')).toContain(
      'nowhere.example.net has no address bindings',
    );
  });
});

describe('ietf-mud abstractions resolved through the context', () => {
  const any = (name: string, mud: unknown) => accept(name, { 'ietf-mud:mud': mud });
  const matcher = matcherFor(
    mudJson(
      [any('local', { 'local-networks': [null] })],
      [
        any('hub', { controller: 'https://controller.example.com/hub' }),
        any('mine', { 'my-controller': [null] }),
        any('maker', { 'same-manufacturer': [null] }),
        any('brush', { manufacturer: 'toothbrush.example.org' }),
        any('model', { model: 'https://thing.example.com/thing-2' }),
      ],
    ),
  );
  it('applies each to the remote end', () => {
    table(matcher, [
      ['local network', out('10.0.0.99'), 'from-device', 'allowed', 'from/local'],
      ['outside the local networks', out('192.0.2.99'), 'from-device', 'violation', ''],
      ['controller class', into('10.0.0.9'), 'to-device', 'allowed', 'to/hub'],
      ['my-controller', into('10.0.0.7'), 'to-device', 'allowed', 'to/mine'],
      ['same manufacturer (same authority)', into('10.0.0.20'), 'to-device', 'allowed', 'to/maker'],
      ['same authority, other model', into('10.0.0.21'), 'to-device', 'allowed', 'to/maker'],
      ['named manufacturer', into('10.0.0.30'), 'to-device', 'allowed', 'to/brush'],
      ['peer without a MUD URL', into('10.0.0.40'), 'to-device', 'violation', ''],
      ['unknown host', into('10.0.0.41'), 'to-device', 'violation', ''],
    ]);
  });
  it('matches model by the exact MUD URL', () => {
    const m = matcherFor(
      mudJson([], [any('model', { model: 'https://thing.example.com/thing-2' })]),
    );
    table(m, [
      ['exact URL', into('10.0.0.21'), 'to-device', 'allowed', 'to/model'],
      ['same maker, other URL', into('10.0.0.20'), 'to-device', 'violation', ''],
    ]);
  });
});

describe('ports, protocols and ICMP', () => {
  const matcher = matcherFor(
    mudJson([
      accept('not-25', {
        tcp: { 'destination-port': { operator: 'neq', port: 25 } },
        ipv4: { 'destination-ipv4-network': '192.0.2.0/24' },
      }),
      accept('low', { udp: { 'destination-port': { operator: 'lte', port: 1023 } } }),
      accept('high', { udp: { 'source-port': { operator: 'gte', port: 50000 } } }),
      accept('range', { udp: { 'destination-port': { 'lower-port': 5000, 'upper-port': 5010 } } }),
      accept('ping', { ipv4: { protocol: 1 }, icmp: { type: 8, code: 0 } }),
    ]),
  );
  it('applies operators and ranges inclusively', () => {
    table(matcher, [
      [
        'neq 25 allows 443',
        out('192.0.2.1', { dport: 443 }),
        'from-device',
        'allowed',
        'from/not-25',
      ],
      ['neq 25 refuses 25', out('192.0.2.1', { dport: 25 }), 'from-device', 'violation', ''],
      ['network outside', out('198.51.100.1', { dport: 443 }), 'from-device', 'violation', ''],
      [
        'lte 1023 at the bound',
        out('203.0.113.1', { proto: 17, dport: 1023 }),
        'from-device',
        'allowed',
        'from/low',
      ],
      [
        'gte 50000 at the bound',
        out('203.0.113.1', { proto: 17, sport: 50000, dport: 4000 }),
        'from-device',
        'allowed',
        'from/high',
      ],
      [
        'range upper bound',
        out('203.0.113.1', { proto: 17, sport: 1, dport: 5010 }),
        'from-device',
        'allowed',
        'from/range',
      ],
      [
        'just past the range',
        out('203.0.113.1', { proto: 17, sport: 1, dport: 5011 }),
        'from-device',
        'violation',
        '',
      ],
      [
        'echo request',
        out('203.0.113.1', { proto: 1, sport: 0, dport: 8 * 256 }),
        'from-device',
        'allowed',
        'from/ping',
      ],
      [
        'echo reply is another type',
        out('203.0.113.1', { proto: 1, sport: 0, dport: 0 }),
        'from-device',
        'violation',
        '',
      ],
    ]);
  });
});

describe('when an ACL names one address family', () => {
  it('lets an IPv4-only file deny all IPv6 (but the implicit rules need v6 servers)', () => {
    const matcher = matcherFor(mudJson([accept('all', {})]));
    table(matcher, [
      ['v4', out('203.0.113.1'), 'from-device', 'allowed', 'from/all'],
      ['v6', flow({ src: '2001:db8::2', dst: '2001:db8:1::1' }), 'from-device', 'violation', ''],
    ]);
  });
});

describe('Ethernet ACLs and unmatchable ACEs', () => {
  it('skips an Ethernet ACL with a deviation', () => {
    const json = mudJson([accept('eth', { eth: { ethertype: '0x888e' } })], [], {
      type: 'eth-acl-type',
    });
    const matcher = matcherFor(json);
    expect(matcher.deviations.map((d) => d.kind)).toContain('skipped-acl');
    expect(matcher.match(out('203.0.113.1'), 'from-device').verdict).toBe('violation');
  });
  it('never lets an unknown match widen its ACE', () => {
    const matcher = matcherFor(
      mudJson([accept('odd', { ipv4: { protocol: 6 }, 'x-vendor:geo': { country: 'NZ' } })]),
    );
    expect(matcher.match(out('203.0.113.1'), 'from-device').verdict).toBe('violation');
    expect(matcher.deviations).toContainEqual(
      expect.objectContaining({
        kind: 'unmatchable-ace',
        path: expect.stringContaining('x-vendor:geo'),
      }),
    );
  });
  it('treats fields flow records do not carry as unmatchable', () => {
    const matcher = matcherFor(
      mudJson([
        accept('ttl', { ipv4: { protocol: 6, ttl: 64 } }),
        accept('flags', { tcp: { flags: 'syn' } }),
      ]),
    );
    expect(matcher.match(out('203.0.113.1'), 'from-device').verdict).toBe('violation');
    expect(matcher.deviations.filter((d) => d.kind === 'unmatchable-ace')).toHaveLength(2);
  });
  it('treats a protocol that contradicts the l4 match as unmatchable', () => {
    const matcher = matcherFor(mudJson([accept('x', { ipv4: { protocol: 17 }, tcp: {} })]));
    expect(matcher.match(out('203.0.113.1', { proto: 17 }), 'from-device').verdict).toBe(
      'violation',
    );
    expect(matcher.match(out('203.0.113.1', { proto: 6 }), 'from-device').verdict).toBe(
      'violation',
    );
  });
});

describe('which way a record goes: from the device, to it, or neither', () => {
  const matcher = matcherFor(mudJson([]));
  it('is from-device for the device source, to-device for its destination, else undefined', () => {
    expect(matcher.directionOf(out('203.0.113.1'))).toBe('from-device');
    expect(matcher.directionOf(into('203.0.113.1'))).toBe('to-device');
    expect(matcher.directionOf(flow({ src: '203.0.113.1', dst: '203.0.113.2' }))).toBeUndefined();
    expect(matcher.directionOf(flow({ src: '2001:db8::2', dst: '2001:db8::1' }))).toBe(
      'from-device',
    );
  });
  it('denies records whose addresses cannot be read', () => {
    expect(
      matcher.match(
        flow({ src: DEVICE, dst: 'not-an-address', proto: 17, dport: 53 }),
        'from-device',
      ).verdict,
    ).toBe('violation');
  });
});

describe('ICMP in an ACL of no fixed family', () => {
  const matcher = matcherFor(
    mudJson([accept('echo', { icmp: { type: 128 } })], [], {
      type: 'mixed-eth-ipv4-ipv6-acl-type',
    }),
  );
  it('reads ICMPv6 on IPv6 records and ICMP on IPv4 records', () => {
    const v6 = (proto: number, type: number) =>
      flow({ src: '2001:db8::2', dst: '2001:db8:1::1', proto, sport: 0, dport: type * 256 });
    table(matcher, [
      ['ICMPv6 echo request', v6(58, 128), 'from-device', 'allowed', 'from/echo'],
      ['ICMPv6 other type', v6(58, 129), 'from-device', 'violation', ''],
      [
        'ICMPv4 type 128',
        out('203.0.113.1', { proto: 1, sport: 0, dport: 128 * 256 }),
        'from-device',
        'allowed',
        'from/echo',
      ],
      ['not ICMP', v6(17, 128), 'from-device', 'violation', ''],
    ]);
  });
});

describe('hand-worked verdicts on the real MUDgee files', () => {
  const file = (path: string): unknown =>
    JSON.parse(readFileSync(new URL(`../../test/fixtures/mud/${path}`, import.meta.url), 'utf8'));
  const ctx = CONTEXT_YAML.replace(
    'controllers:',
    'controllers:\n  urn:ietf:params:mud:gateway: [10.0.0.1]',
  ).replace('dns:', 'dns:\n  ipc.tplinkcloud.com: [52.1.1.1]');

  it('tplink camera: the "range" ACE allows any UDP at or above 1023 to anywhere', () => {
    const m = matcherFor(file('unsw-iot-mud-profiles/tplinkcamera.json'), ctx);
    table(m, [
      [
        'udp 1023 anywhere',
        out('203.0.113.1', { proto: 17, dport: 1023 }),
        'from-device',
        'allowed',
        'from-ipv4-tplinkcamera/from-ipv4-tplinkcamera-7',
      ],
      [
        'udp 1022 anywhere',
        out('203.0.113.1', { proto: 17, dport: 1022 }),
        'from-device',
        'violation',
        '',
      ],
      [
        'cloud 443, device-opened',
        out('52.1.1.1', { origin: 'src' }),
        'from-device',
        'allowed',
        'from-ipv4-tplinkcamera/from-ipv4-tplinkcamera-2',
      ],
      ['cloud 443, initiator unknown', out('52.1.1.1'), 'from-device', 'violation', ''],
      [
        'dhcp to the gateway controller',
        out('10.0.0.1', { proto: 17, sport: 68, dport: 67 }),
        'from-device',
        'allowed',
        'from-ipv4-tplinkcamera/from-ipv4-tplinkcamera-1',
      ],
      [
        'dhcp broadcast (eth match implied)',
        out('255.255.255.255', { proto: 17, sport: 68, dport: 67 }),
        'from-device',
        'allowed',
        'from-ipv4-tplinkcamera/from-ipv4-tplinkcamera-4',
      ],
    ]);
  });

  it('wemo switch: ping only to the literal address, replies only from 4.2.2.2', () => {
    const m = matcherFor(file('unsw-iot-mud-profiles/wemoswitch.json'), ctx);
    table(m, [
      [
        'echo request to 208.67.222.222',
        out('208.67.222.222', { proto: 1, sport: 0, dport: 8 * 256 }),
        'from-device',
        'allowed',
        'from-ipv4-wemoswitch/from-ipv4-wemoswitch-6',
      ],
      [
        'echo request elsewhere',
        out('208.67.222.223', { proto: 1, sport: 0, dport: 8 * 256 }),
        'from-device',
        'violation',
        '',
      ],
      [
        'echo reply from 4.2.2.2',
        into('4.2.2.2', { proto: 1, sport: 0, dport: 0 }),
        'to-device',
        'allowed',
        'to-ipv4-wemoswitch/to-ipv4-wemoswitch-5',
      ],
      [
        'ipv6 anything',
        flow({ src: '2001:db8::2', dst: '2001:db8::99', proto: 17 }),
        'from-device',
        'violation',
        '',
      ],
    ]);
  });

  it('samsung camera: "eq" with lower/upper ports is the range 30000-49000 (and 40156-65500)', () => {
    const m = matcherFor(file('unsw-iot-mud-profiles/samsungsmartcam.json'), ctx);
    table(m, [
      [
        'local tcp from 30000',
        out('10.0.0.99', { sport: 30000, dport: 80 }),
        'from-device',
        'allowed',
        'from-ipv4-samsungsmartcam/from-ipv4-samsungsmartcam-2',
      ],
      [
        'local tcp from 29999',
        out('10.0.0.99', { sport: 29999, dport: 80 }),
        'from-device',
        'violation',
        '',
      ],
    ]);
  });
});
