import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../flows/flow-record.js';
import type { FlowTuple } from '../flows/flow-view.js';
import { parseIpInto } from './ip.js';
import { accept, DEVICE, flow, matcherFor, mudJson } from './test-support.js';

const remote = fc.constantFrom(
  '10.0.0.53',
  '10.0.0.123',
  '10.0.0.7',
  '10.0.0.20',
  '10.0.0.99',
  '198.51.100.10',
  '203.0.113.9',
  '8.8.8.8',
);
const record = fc
  .record({
    remote,
    proto: fc.constantFrom(1, 6, 17, 58, 0),
    sport: fc.constantFrom(0, 53, 123, 443, 40000, 65535),
    dport: fc.constantFrom(0, 53, 123, 443, 2048, 40000),
    outbound: fc.boolean(),
    origin: fc.constantFrom('src', 'dst', 'unknown' as const),
  })
  .map(({ remote: r, outbound, ...rest }): [FlowRecord, 'from-device' | 'to-device'] => [
    flow({ ...rest, src: outbound ? DEVICE : r, dst: outbound ? r : DEVICE }),
    outbound ? 'from-device' : 'to-device',
  ]);

const port = fc.oneof(
  fc.record({
    operator: fc.constantFrom('eq', 'neq', 'lte', 'gte'),
    port: fc.constantFrom(53, 123, 443, 40000),
  }),
  fc.constant({ 'lower-port': 100, 'upper-port': 1000 }),
);
const ace = fc
  .record(
    {
      ipv4: fc.record(
        {
          protocol: fc.constantFrom(6, 17),
          'destination-ipv4-network': fc.constantFrom(
            '0.0.0.0/0',
            '10.0.0.0/24',
            '198.51.100.0/24',
          ),
        },
        { requiredKeys: [] },
      ),
      udp: fc.record({ 'destination-port': port, 'source-port': port }, { requiredKeys: [] }),
      'ietf-mud:mud': fc.constantFrom(
        { 'local-networks': [null] },
        { 'my-controller': [null] },
        { 'same-manufacturer': [null] },
      ),
    },
    { requiredKeys: [] },
  )
  .chain((matches) =>
    fc.constantFrom('accept', 'drop').map((forwarding) => ({ matches, forwarding })),
  );

type Direction = 'from-device' | 'to-device';
type GeneratedAce = (typeof ace extends fc.Arbitrary<infer A> ? A : never)['matches'];
type PortSpec = { operator: string; port: number } | { 'lower-port': number; 'upper-port': number };

const PORTS = [0, 53, 123, 443, 2048, 40000, 65535];

/** The ports of PORTS a port match admits (RFC 8519 operators, as the generated ACEs use them). */
function portsIn(spec: PortSpec | undefined): number[] {
  if (spec === undefined) return PORTS;
  if ('lower-port' in spec)
    return PORTS.filter((p) => p >= spec['lower-port'] && p <= spec['upper-port']);
  const admits: Record<string, (p: number) => boolean> = {
    eq: (p) => p === spec.port,
    neq: (p) => p !== spec.port,
    lte: (p) => p <= spec.port,
    gte: (p) => p >= spec.port,
  };
  return [...PORTS, spec.port].filter(admits[spec.operator] ?? (() => true));
}

/** Remote ends the ACE's MUD abstraction and (from the device) destination network admit. */
function remotesFor(matches: GeneratedAce, direction: Direction): string[] {
  const mud = matches['ietf-mud:mud'];
  let remotes =
    mud === undefined
      ? ['10.0.0.99', '198.51.100.10', '203.0.113.9', '8.8.8.8']
      : 'local-networks' in mud
        ? ['10.0.0.99', '10.0.0.7', '10.0.0.20']
        : 'my-controller' in mud
          ? ['10.0.0.7']
          : ['10.0.0.20'];
  // The destination network names the remote end only when the device sends.
  const network =
    direction === 'from-device' ? matches.ipv4?.['destination-ipv4-network'] : undefined;
  if (network === '10.0.0.0/24') remotes = remotes.filter((r) => r.startsWith('10.0.0.'));
  if (network === '198.51.100.0/24') remotes = remotes.filter((r) => r.startsWith('198.51.100.'));
  return remotes.length > 0 ? remotes : ['198.51.100.10'];
}

/**
 * A record aimed at one ACE: the protocol, ports and remote end it names, in either direction,
 * so that most records are decided by an ACE rather than by the default deny (an ACE whose parts
 * contradict each other still matches nothing).
 */
function aimedAt(matches: GeneratedAce): fc.Arbitrary<[FlowRecord, Direction]> {
  const protocol = matches.udp !== undefined ? 17 : matches.ipv4?.protocol;
  return fc
    .record({
      outbound: fc.boolean(),
      proto: protocol === undefined ? fc.constantFrom(1, 6, 17) : fc.constant(protocol),
      sport: fc.constantFrom(...portsIn(matches.udp?.['source-port'])),
      dport: fc.constantFrom(...portsIn(matches.udp?.['destination-port'])),
      origin: fc.constantFrom('src', 'dst', 'unknown' as const),
    })
    .chain(({ outbound, ...rest }) => {
      // A destination network without the device's address can only match the device sending.
      const out = outbound || matches.ipv4?.['destination-ipv4-network'] === '198.51.100.0/24';
      const direction: Direction = out ? 'from-device' : 'to-device';
      return fc
        .constantFrom(...remotesFor(matches, direction))
        .map((r): [FlowRecord, Direction] => [
          flow({ ...rest, src: out ? DEVICE : r, dst: out ? r : DEVICE }),
          direction,
        ]);
    });
}

/** Records for a list of ACEs: mostly aimed at one of them, some from the general pool. */
function recordsFor(
  aces: readonly { matches: GeneratedAce }[],
): fc.Arbitrary<[FlowRecord, Direction][]> {
  return fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...aces).chain((a) => aimedAt(a.matches)) },
      { weight: 1, arbitrary: record },
    ),
    { minLength: 1, maxLength: 20 },
  );
}

/**
 * An ACE whose parts can hold together (no udp match under protocol 6, no MUD abstraction inside
 * a network none of its addresses are in): one that can decide a record aimed at it.
 */
const coherentAce = ace.filter(
  ({ matches }) =>
    !(matches.udp !== undefined && matches.ipv4?.protocol === 6) &&
    !(
      matches['ietf-mud:mud'] !== undefined &&
      matches.ipv4?.['destination-ipv4-network'] === '198.51.100.0/24'
    ),
);

/** ACEs (at least one; most coherent, some not) with records for them. */
const acesAndRecords = fc
  .array(fc.oneof({ weight: 3, arbitrary: coherentAce }, { weight: 1, arbitrary: ace }), {
    minLength: 1,
    maxLength: 6,
  })
  .chain((aces) => fc.tuple(fc.constant(aces), recordsFor(aces)));

/** The share of judged records a property must reach its assertion on, over a run. */
const MIN_SHARE = 0.5;

/** The record as a decoder's flow tuple: its address text parsed into words. */
function tupleOf(r: FlowRecord): FlowTuple {
  const src = new Uint32Array(4);
  const dst = new Uint32Array(4);
  return { ...r, srcFamily: parseIpInto(r.src, src), src, dstFamily: parseIpInto(r.dst, dst), dst };
}

describe('matcher invariants', () => {
  const empty = matcherFor(mudJson([], []));

  test.prop([record])(
    'a MUD file with no ACEs allows nothing but UDP DNS/NTP with the registered servers',
    ([r, direction]) => {
      const decision = empty.match(r, direction);
      const remoteEnd = direction === 'from-device' ? r.dst : r.src;
      const servicePort = direction === 'from-device' ? r.dport : r.sport;
      const dns = r.proto === 17 && remoteEnd === '10.0.0.53' && servicePort === 53;
      const ntp = r.proto === 17 && remoteEnd === '10.0.0.123' && servicePort === 123;
      expect(decision.rule).toBe(dns ? 'default:dns' : ntp ? 'default:ntp' : '');
      expect(decision.verdict).toBe(dns || ntp ? 'allowed' : 'violation');
    },
  );

  it('appending an ACE never changes a verdict an earlier ACE decided', () => {
    let judged = 0;
    let decided = 0;
    fc.assert(
      fc.property(acesAndRecords, ace, ([aces, records], extra) => {
        const named = aces.map((a, i) => ({
          name: `a${i}`,
          matches: a.matches,
          actions: { forwarding: a.forwarding },
        }));
        const added = {
          name: 'extra',
          matches: extra.matches,
          actions: { forwarding: extra.forwarding },
        };
        const before = matcherFor(mudJson(named, named));
        const after = matcherFor(mudJson([...named, added], [...named, added]));
        for (const [r, direction] of records) {
          const first = before.match(r, direction);
          const decidedByAce =
            first.rule.startsWith('from/') ||
            first.rule.startsWith('to/') ||
            first.deniedBy !== undefined;
          judged += 1;
          if (decidedByAce) {
            decided += 1;
            expect(after.match(r, direction)).toEqual(first);
          }
        }
      }),
    );
    // Records the default deny decided say nothing about the property: most must reach it.
    expect(decided / judged).toBeGreaterThanOrEqual(MIN_SHARE);
  });

  test.prop([acesAndRecords])(
    'an unknown match node never widens an ACE: allowed records stay a subset',
    ([aces, records]) => {
      const named = aces.map((a, i) => ({
        name: `a${i}`,
        matches: a.matches,
        actions: { forwarding: a.forwarding },
      }));
      const poisoned = named.map((a) => ({
        ...a,
        matches: { ...a.matches, 'x-unknown:match': { any: true } },
      }));
      const plain = matcherFor(mudJson(named, named));
      const odd = matcherFor(mudJson(poisoned, poisoned));
      for (const [r, direction] of records) {
        if (odd.match(r, direction).verdict === 'allowed') {
          expect(odd.match(r, direction).rule).toMatch(/^default:/);
        }
        if (
          plain.match(r, direction).verdict === 'violation' &&
          plain.match(r, direction).deniedBy === undefined
        ) {
          expect(odd.match(r, direction).verdict).toBe('violation');
        }
      }
    },
  );

  it('every accept ACE that matches a record is reported by its acl/ace name, the first one that matches', () => {
    let judged = 0;
    let matched = 0;
    fc.assert(
      fc.property(acesAndRecords, ([aces, records]) => {
        const named = aces.map((a, i) => accept(`a${i}`, a.matches));
        const all = matcherFor(mudJson(named, named));
        // Each ACE alone says which records it matches.
        const alone = named.map((a) => matcherFor(mudJson([a], [a])));
        for (const [r, direction] of records) {
          const acl = direction === 'from-device' ? 'from' : 'to';
          const first = alone.findIndex((m) => m.match(r, direction).rule.startsWith(`${acl}/`));
          const decision = all.match(r, direction);
          judged += 1;
          if (first >= 0) {
            matched += 1;
            expect(decision).toEqual({ verdict: 'allowed', rule: `${acl}/a${first}` });
          } else {
            expect(decision.rule === '' || decision.rule.startsWith('default:')).toBe(true);
          }
        }
      }),
    );
    expect(matched / judged).toBeGreaterThanOrEqual(MIN_SHARE);
  });

  test.prop([
    fc.array(ace, { maxLength: 6 }),
    fc.array(
      fc.oneof(
        record.map(([r]) => r),
        fc
          .record({ src: fc.constantFrom(DEVICE, '2001:db8::1', '10.0.0.53'), dst: remote })
          .map((ends) => flow({ ...ends, proto: 17, sport: 53, dport: 53 })),
      ),
      { minLength: 1, maxLength: 20 },
    ),
  ])(
    'a flow judged on its address words gets the verdict its address text gets',
    (aces, records) => {
      const named = aces.map((a, i) => ({
        name: `a${i}`,
        matches: a.matches,
        actions: { forwarding: a.forwarding },
      }));
      const m = matcherFor(mudJson(named, named));
      for (const r of records) {
        const tuple = tupleOf(r);
        const direction = m.directionOf(r);
        expect(m.directionOfFlow(tuple)).toBe(direction);
        for (const d of ['from-device', 'to-device'] as const) {
          expect(m.matchFlow(tuple, d)).toBe(m.match(r, d));
        }
      }
    },
  );
});
