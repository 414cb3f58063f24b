import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
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

  test.prop([
    fc.array(ace, { maxLength: 6 }),
    ace,
    fc.array(record, { minLength: 1, maxLength: 20 }),
  ])('appending an ACE never changes a verdict an earlier ACE decided', (aces, extra, records) => {
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
      if (decidedByAce) expect(after.match(r, direction)).toEqual(first);
    }
  });

  test.prop([fc.array(ace, { maxLength: 6 }), fc.array(record, { minLength: 1, maxLength: 20 })])(
    'an unknown match node never widens an ACE: allowed records stay a subset',
    (aces, records) => {
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

  test.prop([fc.array(ace, { maxLength: 6 })])(
    'every accept ACE that matches anything is reported by its acl/ace name',
    (aces) => {
      const named = aces.map((a, i) => accept(`a${i}`, a.matches));
      const m = matcherFor(mudJson(named));
      const d = m.match(
        flow({ src: DEVICE, dst: '10.0.0.99', proto: 17, sport: 443, dport: 443 }),
        'from-device',
      );
      expect(d.rule === '' || /^from\/a\d+$|^default:/.test(d.rule)).toBe(true);
    },
  );

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
