import { describe, expect, it } from 'vitest';
import { parseMudContext } from './context.js';
import { MudError } from './errors.js';

function problem(text: string): string {
  try {
    parseMudContext(text, 'ctx.yaml');
  } catch (error) {
    if (error instanceof MudError) return `${error.code} ${error.message}`;
    throw error;
  }
  throw new Error('expected MUD_CONTEXT_INVALID');
}

describe('the operator context', () => {
  it('reads the minimal context: one device address, everything else empty', () => {
    const ctx = parseMudContext('device: { ipv6: "2001:DB8::0:2" }\n');
    expect(ctx.device.addresses).toEqual(['2001:db8::2']);
    expect([
      ctx.localNetworks,
      ctx.myController,
      ctx.peers,
      ctx.dns.size,
      ctx.controllers.size,
    ]).toEqual([[], [], [], 0, 0]);
  });

  it('normalises DNS names and accepts one address or a list', () => {
    const ctx = parseMudContext(
      'device: { ipv4: 10.0.0.2 }\ndns:\n  Cloud.Example.COM.: 198.51.100.1\n  cloud.example.com: [198.51.100.2]\nmy_controller: 10.0.0.7\n',
    );
    expect(ctx.dns.get('cloud.example.com')).toEqual(['198.51.100.1', '198.51.100.2']);
    expect(ctx.myController).toEqual(['10.0.0.7']);
  });

  it('keeps a peer without a MUD URL as null', () => {
    const ctx = parseMudContext(
      'device: { ipv4: 10.0.0.2 }\npeers:\n  - { address: 10.0.0.3 }\n  - { address: 10.0.0.4, mud_url: null }\n',
    );
    expect(ctx.peers).toEqual([
      { address: '10.0.0.3', mudUrl: null },
      { address: '10.0.0.4', mudUrl: null },
    ]);
  });

  it.each([
    [
      'a device without addresses',
      'device: { mud_url: "https://x.example/y" }\n',
      'ctx.yaml:1:9: field "device": the device needs an ipv4 or ipv6 address',
    ],
    [
      'a bad peer address',
      'device: { ipv4: 10.0.0.2 }\npeers:\n  - { address: 10.0.0.300 }\n',
      'ctx.yaml:3:16: field "peers.0.address": not an IPv4 or IPv6 address',
    ],
    ['a YAML syntax error', 'device: [\n', 'ctx.yaml:2:1:'],
    [
      'a duplicate key',
      'device: { ipv4: 10.0.0.2 }\ndevice: { ipv4: 10.0.0.3 }\n',
      'ctx.yaml:2:1:',
    ],
  ])('rejects %s with its place', (_label, text, expected) => {
    expect(problem(text)).toContain(`MUD_CONTEXT_INVALID ${expected}`);
  });
});
