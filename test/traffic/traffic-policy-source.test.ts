/**
 * What traffic workers judge against, on the demo world: the devices of its map with their MUD
 * files from the blob store, the access grants of its log, and a reload when an input changes.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { trafficPolicySource } from '../../src/traffic/traffic-policy-source.js';
import { runCli } from '../helpers/run-cli.js';

const DEMO_CONFIG = fileURLToPath(new URL('../../examples/demo/nospy.yaml', import.meta.url));

describe('the traffic policy of a configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-traffic-policy-'));
  const source = () =>
    trafficPolicySource(
      loadConfig({ file: join(dir, 'nospy.yaml'), cwd: dir, env: {} }),
      dir,
      undefined,
    );

  beforeAll(async () => {
    copyFileSync(DEMO_CONFIG, join(dir, 'nospy.yaml'));
    expect((await runCli(['demo', 'init', '--data', 'data'], { cwd: dir })).code).toBe(0);
  }, 120_000);

  it("takes the devices from the map, with the MUD files its logged releases declare, and the grants from the log's access statements", async () => {
    const policy = await source().load(new Date());
    expect(policy.devices.map((d) => d.id)).toEqual(['acme-r1', 'globex-r1', 'globex-r2']);
    expect(policy.grants).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^ACME-2026-05@\d+$/),
        devices: ['acme-r1'],
        sources: ['198.51.100.0/24'],
        ports: [22],
      }),
    ]);
  });

  it('keeps its fingerprint while nothing changes, and changes it when the device map or a context does', async () => {
    const s = source();
    const before = await s.fingerprint();
    expect(await s.fingerprint()).toBe(before);
    const map = join(dir, 'data/devices.yaml');
    const text = readFileSync(map, 'utf8');
    writeFileSync(
      map,
      text
        .split('\n')
        .filter((l) => !l.includes('globex-r2'))
        .join('\n'),
    );
    const after = await s.fingerprint();
    expect(after).not.toBe(before);
    expect((await s.load(new Date())).devices.map((d) => d.id)).toEqual(['acme-r1', 'globex-r1']);
    const context = join(dir, 'data/mud/acme-r1.context.yaml');
    writeFileSync(context, `${readFileSync(context, 'utf8')}\n# touched\n`);
    expect(await s.fingerprint()).not.toBe(after);
  });
});
