import { describe, expect, it } from 'vitest';
import { DeclaredPorts } from './declared-ports.js';
import { INITIATED_BY_DEVICE, INITIATED_BY_REMOTE } from './matcher.js';
import { inferServiceSide } from './service-side.js';
import { accept, matcherFor, mudJson } from './test-support.js';

const UDP = 17;
// The device serves CoAP on its own UDP 5684 and uses a telemetry service on the remote's 40500.
const declared = matcherFor(
  mudJson(
    [accept('telemetry', { udp: { 'destination-port': { port: 40500 } } })],
    [accept('coaps', { udp: { 'destination-port': { port: 5684 } } })],
  ),
).declaredPorts;
// No ports at all (a compiled MUD file always declares DNS and NTP through its implicit rules).
const none = new DeclaredPorts([], []);

describe('inferring the service side of one record', () => {
  it.each([
    [
      'the device opened it',
      UDP,
      40001,
      50000,
      INITIATED_BY_DEVICE,
      ['remote', 50000, 'initiator'],
    ],
    [
      'the remote opened it',
      UDP,
      50000,
      40001,
      INITIATED_BY_REMOTE,
      ['device', 50000, 'initiator'],
    ],
    ['NTP between two port 123s', UDP, 123, 123, 0, ['remote', 123, 'same-port']],
    ['a DNS query from an ephemeral port', UDP, 53123, 53, 0, ['remote', 53, 'well-known-port']],
    ['an NTP client on an ephemeral port', UDP, 40123, 123, 0, ['remote', 123, 'well-known-port']],
    ['a DNS answer seen from the server', UDP, 53, 61000, 0, ['device', 53, 'well-known-port']],
    ['two System Ports: the lower', UDP, 853, 53, 0, ['remote', 53, 'well-known-port']],
    ['STUN on a registered port', UDP, 45000, 3478, 0, ['remote', 3478, 'registered-port']],
    ['the device serving SIP', UDP, 5060, 45000, 0, ['device', 5060, 'registered-port']],
  ] as const)('%s', (_label, proto, devicePort, remotePort, initiator, [side, port, how]) => {
    expect(inferServiceSide(proto, devicePort, remotePort, initiator, none)).toEqual({
      side,
      port,
      how,
    });
  });

  it('takes the MUD file’s own ports before the IANA tables', () => {
    // 40500 is nobody's IANA port, but the device's MUD file names it at the remote end.
    expect(inferServiceSide(UDP, 5060, 40500, 0, declared)).toEqual({
      side: 'remote',
      port: 40500,
      how: 'mud-port',
    });
    expect(inferServiceSide(UDP, 5684, 40001, 0, declared)).toEqual({
      side: 'device',
      port: 5684,
      how: 'mud-port',
    });
  });

  it('counts DNS and NTP as declared remote ports through the implicit rules (RFC 8520 §5)', () => {
    const implicit = matcherFor(mudJson([], [])).declaredPorts;
    expect(inferServiceSide(UDP, 53000, 53, 0, implicit)?.how).toBe('mud-port');
    expect(inferServiceSide(UDP, 40123, 123, 0, implicit)?.how).toBe('mud-port');
  });

  it('leaves two unremarkable high ports to the conversation', () => {
    expect(inferServiceSide(UDP, 40001, 50000, 0, none)).toBeUndefined();
    expect(inferServiceSide(UDP, 3478, 5060, 0, none)).toBeUndefined();
  });

  it('gives ICMP its type and code, never a side guess', () => {
    expect(inferServiceSide(1, 0, 0x0800, 0, none)?.how).toBe('icmp');
  });
});
