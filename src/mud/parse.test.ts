import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MudError } from './errors.js';
import { MUD_LIMITS, parseMud, parseMudText } from './parse.js';
import { accept, mudJson } from './test-support.js';

const fixture = (path: string): string =>
  readFileSync(new URL(`../../test/fixtures/mud/${path}`, import.meta.url), 'utf8');

const FIXTURES = [
  'cisco-mud-manager/Luminaire_150.json',
  'mudmaker/cloud-service.json',
  'mudmaker/same-manufacturer.json',
  'nist-sdnmud/mudfile-local-and-same-mfg-test.json',
  'nist-sdnmud/mudfile-mfg-test.json',
  'osmud-legacy-draft/lightbulb2000.json',
  'unsw-iot-mud-profiles/samsungsmartcam.json',
  'unsw-iot-mud-profiles/tplinkcamera.json',
  'unsw-iot-mud-profiles/wemoswitch.json',
];

function errorOf(action: () => unknown): MudError {
  try {
    action();
  } catch (error) {
    if (error instanceof MudError) return error;
    throw error;
  }
  throw new Error('expected a MudError');
}

describe('the real MUD files in the fixtures', () => {
  it.each(FIXTURES)('%s parses, with both policies resolved', (path) => {
    const mud = parseMudText(fixture(path));
    expect(mud.fromDevice.length).toBeGreaterThan(0);
    expect(mud.toDevice.length).toBeGreaterThan(0);
    for (const name of [...mud.fromDevice, ...mud.toDevice]) expect(mud.acls.has(name)).toBe(true);
  });

  it('finds no deviation in the RFC-conformant Cisco, MUD Maker and NIST files', () => {
    for (const path of FIXTURES.slice(0, 5)) {
      expect({ path, deviations: parseMudText(fixture(path)).deviations }).toEqual({
        path,
        deviations: [],
      });
    }
  });

  it('reads the Luminaire file as written (dnsname, direction-initiated, my-controller, local-networks)', () => {
    const mud = parseMudText(fixture('cisco-mud-manager/Luminaire_150.json'));
    const [first] = mud.acls.get('mud-21966-v4fr')?.aces ?? [];
    expect(first?.name).toBe('cl0-frdev');
    expect(first?.matches.l3).toMatchObject({
      family: 4,
      protocol: 6,
      destinationDnsName: 'fw-update.luminaire.example.com',
    });
    expect(first?.matches.l4).toEqual({
      kind: 'tcp',
      sourcePort: undefined,
      destinationPort: { lo: 443, hi: 443, negate: false },
      directionInitiated: 'from-device',
    });
    expect(mud.acls.get('mud-21966-v4to')?.aces.map((a) => a.matches.mud)).toEqual([
      [],
      [{ kind: 'my-controller' }],
      [{ kind: 'local-networks' }],
    ]);
  });

  it('lists the MUDgee quirks of the tplink camera: access-lists, range operator, gateway URN, eth ACL, implied eth', () => {
    const mud = parseMudText(fixture('unsw-iot-mud-profiles/tplinkcamera.json'));
    const kinds = new Set(mud.deviations.map((d) => d.kind));
    expect([...kinds].sort()).toEqual([
      'implied-match',
      'legacy-name',
      'nonstandard-acl-type',
      'nonstandard-port-match',
      'skipped-acl',
      'unregistered-controller',
    ]);
    expect(mud.deviations).toContainEqual({
      path: '$.ietf-access-control-list:access-lists.acl[0].aces.ace[7].matches.udp.destination-port',
      kind: 'nonstandard-port-match',
      message: 'operator "range" with lower-port/upper-port read as the range 1023-65535',
    });
    const range = mud.acls.get('from-ipv4-tplinkcamera')?.aces[7]?.matches.l4;
    expect(range).toMatchObject({
      kind: 'udp',
      destinationPort: { lo: 1023, hi: 65535, negate: false },
    });
    expect(mud.acls.get('from-ethernet-tplinkcamera')?.aces).toEqual([]);
  });

  it('reads the samsung camera "eq" with lower/upper ports as the range and reports it', () => {
    const mud = parseMudText(fixture('unsw-iot-mud-profiles/samsungsmartcam.json'));
    expect(mud.deviations).toContainEqual(
      expect.objectContaining({
        kind: 'nonstandard-port-match',
        message: 'operator "eq" with lower-port/upper-port read as the range 30000-49000',
      }),
    );
    expect(mud.acls.get('from-ipv6-samsungsmartcam')?.family).toBe('ipv6');
  });

  it('detects the pre-RFC osMUD layout and translates it, every rename reported', () => {
    const mud = parseMudText(fixture('osmud-legacy-draft/lightbulb2000.json'));
    expect(mud.layout).toBe('pre-rfc-draft');
    const [ace] = mud.acls.get('mud-45782-v6fr')?.aces ?? [];
    expect(ace?.name).toBe('cl0-frdev');
    expect(ace?.matches.l3).toMatchObject({
      family: 6,
      protocol: 6,
      destinationDnsName: 'service.bms.example.com',
    });
    expect(ace?.matches.l4).toMatchObject({
      kind: 'tcp',
      destinationPort: { lo: 443, hi: 443 },
      directionInitiated: 'from-device',
    });
    expect(mud.deviations.filter((d) => d.kind === 'legacy-name')).toHaveLength(11);
  });
});

describe('lenient reading, reported', () => {
  it('reads lt and gt strictly and reports them', () => {
    const mud = parseMud(
      mudJson([
        accept('a', { tcp: { 'destination-port': { operator: 'lt', port: 1024 } } }),
        accept('b', { tcp: { 'source-port': { operator: 'gt', port: 1023 } } }),
      ]),
    );
    const aces = mud.acls.get('from')?.aces ?? [];
    expect(aces[0]?.matches.l4).toMatchObject({ destinationPort: { lo: 0, hi: 1023 } });
    expect(aces[1]?.matches.l4).toMatchObject({ sourcePort: { lo: 1024, hi: 65535 } });
    expect(mud.deviations.map((d) => d.kind)).toEqual([
      'nonstandard-port-match',
      'nonstandard-port-match',
    ]);
  });

  it('makes an unknown operator, an inverted range and an ambiguous port unmatchable', () => {
    const mud = parseMud(
      mudJson([
        accept('a', { tcp: { 'destination-port': { operator: 'between', port: 1 } } }),
        accept('b', { tcp: { 'destination-port': { 'lower-port': 9, 'upper-port': 1 } } }),
        accept('c', { tcp: { 'destination-port': { port: 5, 'lower-port': 1, 'upper-port': 9 } } }),
      ]),
    );
    for (const ace of mud.acls.get('from')?.aces ?? [])
      expect(ace.matches.unmatchable).toHaveLength(1);
  });

  it('reports a policy naming a missing ACL and an ACL no policy names', () => {
    const json = mudJson([]) as Record<string, Record<string, unknown>>;
    (json['ietf-access-control-list:acls'] as { acl: unknown[] }).acl.push({
      name: 'spare',
      type: 'ipv4-acl-type',
      aces: { ace: [] },
    });
    (json['ietf-mud:mud'] as Record<string, unknown>)['from-device-policy'] = {
      'access-lists': { 'access-list': [{ name: 'from' }, { name: 'ghost' }] },
    };
    const messages = parseMud(json)
      .deviations.filter((d) => d.kind === 'dangling-acl')
      .map((d) => d.message);
    expect(messages).toEqual([
      'names ACL "ghost", which the file does not define; it contributes no ACEs',
      'ACL "spare" is in no policy; unused',
    ]);
  });

  it('reports src-dnsname in a from-device ACL (RFC 8520 §8)', () => {
    const mud = parseMud(
      mudJson([accept('x', { ipv4: { 'ietf-acldns:src-dnsname': 'me.example.com' } })]),
    );
    expect(mud.deviations.map((d) => d.kind)).toEqual(['dnsname-on-device-side']);
  });

  it('ignores, with a note, nodes outside matches that flow checks do not use', () => {
    const json = mudJson([]) as Record<string, Record<string, unknown>>;
    (json['ietf-mud:mud'] as Record<string, unknown>)['ietf-mud-transparency:transparency'] = {};
    expect(parseMud(json).deviations).toEqual([
      {
        path: '$.ietf-mud:mud.ietf-mud-transparency:transparency',
        kind: 'ignored-node',
        message: expect.stringContaining('ignored'),
      },
    ]);
  });
});

describe('bad input', () => {
  it.each([
    ['not JSON', '{', 'MUD_SYNTAX', '$'],
    ['not an object', '[]', 'MUD_INVALID', '$'],
    ['no mud container', '{"x":1}', 'MUD_INVALID', '$'],
  ])('rejects %s with %s at %s', (_label, text, code, where) => {
    const error = errorOf(() => parseMudText(text));
    expect([error.code, error.where]).toEqual([code, where]);
  });

  it('names the JSON path of a malformed port', () => {
    const error = errorOf(() =>
      parseMud(mudJson([accept('a', { udp: { 'destination-port': { port: 70000 } } })])),
    );
    expect(error.code).toBe('MUD_INVALID');
    expect(error.where).toBe(
      '$.ietf-access-control-list:acls.acl[0].aces.ace[0].matches.udp.destination-port.port',
    );
    expect(error.message).toContain('integer from 0 to 65535');
  });

  it('names the path of a missing mud-url, a bad network and a missing forwarding action', () => {
    const noUrl = mudJson([]) as Record<string, Record<string, unknown>>;
    delete (noUrl['ietf-mud:mud'] as Record<string, unknown>)['mud-url'];
    expect(errorOf(() => parseMud(noUrl)).where).toBe('$.ietf-mud:mud');
    expect(
      errorOf(() =>
        parseMud(mudJson([accept('n', { ipv4: { 'destination-ipv4-network': '10.0.0.0/33' } })])),
      ).where,
    ).toBe(
      '$.ietf-access-control-list:acls.acl[0].aces.ace[0].matches.ipv4.destination-ipv4-network',
    );
    expect(errorOf(() => parseMud(mudJson([{ name: 'x', matches: {}, actions: {} }]))).where).toBe(
      '$.ietf-access-control-list:acls.acl[0].aces.ace[0].actions',
    );
  });

  it('rejects duplicate ACE names, which would make verdict rules ambiguous', () => {
    const error = errorOf(() => parseMud(mudJson([accept('a', {}), accept('a', {})])));
    expect(error.where).toBe('$.ietf-access-control-list:acls.acl[0].aces.ace[1].name');
  });

  it('bounds the file size and the ACE count', () => {
    expect(errorOf(() => parseMudText(' '.repeat(MUD_LIMITS.maxBytes + 1))).code).toBe('MUD_LIMIT');
    const many = Array.from({ length: MUD_LIMITS.maxAcesPerAcl + 1 }, (_, i) =>
      accept(`a${i}`, {}),
    );
    const error = errorOf(() => parseMud(mudJson(many)));
    expect([error.code, error.where]).toEqual([
      'MUD_LIMIT',
      '$.ietf-access-control-list:acls.acl[0].aces.ace',
    ]);
  });
});

describe('match nodes that make an ACE unmatchable', () => {
  it.each([
    ['both ipv4 and ipv6', { ipv4: {}, ipv6: {} }],
    ['both tcp and udp', { tcp: {}, udp: {} }],
    ['icmp rest-of-header', { icmp: { type: 8, 'rest-of-header': 'AAAA' } }],
    ['udp length', { udp: { length: 20 } }],
    ['an unknown tcp field', { tcp: { 'x-window': 1 } }],
    ['an unknown ipv4 field', { ipv4: { 'x-geo': 'NZ' } }],
    ['an unknown mud abstraction', { 'ietf-mud:mud': { 'same-vendor': [null] } }],
    ['a bad direction-initiated value', { tcp: { 'ietf-mud:direction-initiated': 'both' } }],
    ['an operator without a port', { tcp: { 'source-port': { operator: 'eq' } } }],
    ['an unknown port field', { tcp: { 'source-port': { port: 1, step: 2 } } }],
    [
      'a unicast destination MAC',
      { ipv4: { protocol: 17 }, eth: { 'destination-mac-address': '00:11:22:33:44:55' } },
    ],
    ['a non-IP ethertype', { ipv4: { protocol: 17 }, eth: { ethertype: '0x888e' } }],
    ['an eth source MAC', { ipv4: {}, eth: { 'source-mac-address': '00:11:22:33:44:55' } }],
    ['an ipv6 match in an ipv4 ACL', { ipv6: { protocol: 6 } }],
    ['icmp with protocol 6', { ipv4: { protocol: 6 }, icmp: {} }],
    [
      'legacy ports without tcp/udp',
      { 'ipv4-acl': { protocol: 1, 'source-port-range-or-operator': { port: 1 } } },
    ],
    ['ingress-interface', { 'ingress-interface': 'eth0' }],
  ])('%s', (_label, matches) => {
    const mud = parseMud(mudJson([accept('x', matches)]));
    expect(mud.acls.get('from')?.aces[0]?.matches.unmatchable.length).toBeGreaterThan(0);
    expect(mud.deviations.some((d) => d.kind === 'unmatchable-ace')).toBe(true);
  });

  it.each([
    ['unprefixed dnsname', { ipv4: { 'dst-dnsname': 'a.example' } }, 'legacy-name'],
    [
      'unprefixed direction-initiated',
      { tcp: { 'direction-initiated': 'from-device' } },
      'legacy-name',
    ],
    ['unprefixed mud container', { mud: { 'local-networks': [null] } }, 'legacy-name'],
    [
      'an empty leaf written as true',
      { 'ietf-mud:mud': { 'my-controller': true } },
      'missing-or-invalid-leaf',
    ],
    ['an IPv6 ethertype in an IPv6 ACE', { ipv6: {}, eth: { ethertype: 34525 } }, 'implied-match'],
  ])('accepts %s and reports it', (_label, matches, kind) => {
    const mud = parseMud(
      mudJson([accept('x', matches)], [], { type: 'mixed-eth-ipv4-ipv6-acl-type' }),
    );
    expect(mud.acls.get('from')?.aces[0]?.matches.unmatchable).toEqual([]);
    expect(mud.deviations.map((d) => d.kind)).toContain(kind);
  });

  it('rejects a non-empty value for an empty leaf', () => {
    expect(
      errorOf(() =>
        parseMud(mudJson([accept('x', { 'ietf-mud:mud': { 'local-networks': 'yes' } })])),
      ).where,
    ).toBe(
      '$.ietf-access-control-list:acls.acl[0].aces.ace[0].matches.ietf-mud:mud.local-networks',
    );
  });

  it('reports a missing mud-version and an unknown ACL type', () => {
    const json = mudJson([], [], { type: 'fancy-acl-type' }) as Record<
      string,
      Record<string, unknown>
    >;
    delete (json['ietf-mud:mud'] as Record<string, unknown>)['mud-version'];
    expect(parseMud(json).deviations.map((d) => d.kind)).toEqual([
      'missing-or-invalid-leaf',
      'nonstandard-acl-type',
      'nonstandard-acl-type',
    ]);
  });
});
