import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDeviceMap } from './load.js';
import { accept, CONTEXT_YAML, mudJson } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'nospy-device-map-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const mud = `${JSON.stringify(
  mudJson([
    accept('cloud', {
      ipv4: { 'ietf-acldns:dst-dnsname': 'cloud.example.com' },
      tcp: { 'destination-port': { operator: 'eq', port: 443 } },
    }),
  ]),
)}\n`;
const digest = createHash('sha256').update(mud).digest('hex');
writeFileSync(join(dir, 'ctx.yaml'), CONTEXT_YAML);
writeFileSync(join(dir, 'thing.json'), mud);

function map(ref: string): string {
  const file = join(dir, `devices-${createHash('sha256').update(ref).digest('hex')}.yaml`);
  writeFileSync(file, `devices:\n  - { id: thing-1, mud: "${ref}", context: ctx.yaml }\n`);
  return file;
}

describe('a device map naming its MUD file by digest', () => {
  it('compiles the MUD text the source holds for that digest, as it would the file', () => {
    const [byDigest] = loadDeviceMap(map(`sha256:${digest}`), {
      mudByDigest: (hex) => (hex === digest ? mud : undefined),
    });
    const [byPath] = loadDeviceMap(map('thing.json'));
    expect(byDigest?.matcher.mudUrl).toBe('https://thing.example.com/thing-1');
    expect(byDigest?.matcher.mudUrl).toBe(byPath?.matcher.mudUrl);
    expect([...(byDigest?.addresses ?? [])]).toEqual([...(byPath?.addresses ?? [])]);
  });

  it('fails with MUD_DEVICES_INVALID naming the device when no source holds the digest', () => {
    expect(() => loadDeviceMap(map(`sha256:${'0'.repeat(64)}`))).toThrow(
      expect.objectContaining({
        code: 'MUD_DEVICES_INVALID',
        message: expect.stringContaining('device thing-1 names MUD file sha256:000') as string,
      }),
    );
  });

  it('keeps the MUD error and names the digest when the held text is not a MUD file', () => {
    expect(() =>
      loadDeviceMap(map(`sha256:${digest}`), { mudByDigest: () => '{"not":"mud"}' }),
    ).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`sha256:${digest}`) as string }),
    );
  });
});
