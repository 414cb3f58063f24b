import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const fixtures = fileURLToPath(new URL('../fixtures/mud/', import.meta.url));
const at = (path: string): string => join(fixtures, path);
const LUMINAIRE = at('cisco-mud-manager/Luminaire_150.json');
const CONTEXT = at('cases/luminaire-context.yaml');

function scratch(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-mud-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('nospy mud check', () => {
  it('prints one JSON verdict per record, in input order, with ids, and exits 1 on a violation', async () => {
    const result = await runCli([
      'mud',
      'check',
      '--mud',
      LUMINAIRE,
      '--context',
      CONTEXT,
      '--flows',
      at('cases/luminaire-flows.csv'),
      '--json',
    ]);
    expect(result.code).toBe(1);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((r) => [r.id, r.direction, r.verdict, r.rule])).toEqual([
      ['fw-out', 'from-device', 'allowed', 'mud-21966-v4fr/cl0-frdev'],
      ['fw-back', 'to-device', 'allowed', 'mud-21966-v4to/cl0-todev'],
      ['fw-unknown', 'from-device', 'violation', ''],
      ['coap-ctl', 'to-device', 'allowed', 'mud-21966-v4to/myctl0-todev'],
      ['coap-local', 'from-device', 'allowed', 'mud-21966-v4fr/loc0-frdev'],
      ['dns', 'from-device', 'allowed', 'default:dns'],
      ['beacon', 'from-device', 'violation', ''],
      ['stranger', null, 'error', ''],
    ]);
    expect(rows[7]?.error).toContain('neither 10.0.0.50 nor 203.0.113.66');
    expect(result.stderr).toContain('5 allowed, 2 violations, 1 records not of the device');
  });

  it('maps an NDJSON src/dst initiator through the direction', async () => {
    const result = await runCli([
      'mud',
      'check',
      '--mud',
      LUMINAIRE,
      '--context',
      CONTEXT,
      '--flows',
      at('cases/luminaire-flows.ndjson'),
      '--json',
    ]);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((r) => [r.id, r.initiator, r.verdict])).toEqual([
      ['n1', 'device', 'allowed'],
      ['n2', 'device', 'allowed'],
      ['n3', 'remote', 'violation'],
    ]);
  });

  it('exits 0 when every record is allowed, with human lines', async () => {
    const flows = scratch(
      'ok.csv',
      'exporter,domain,first,last,proto,src,sport,dst,dport,packets,bytes,tcp_flags,input,output,rev_packets,rev_bytes,sampling,initiator\n' +
        '192.0.2.1,0,2026-01-01T00:00:00.000Z,2026-01-01T00:00:01.000Z,17,10.0.0.2,5353,10.0.0.123,123,1,60,,,,,,1,unknown\n',
    );
    const result = await runCli([
      'mud',
      'check',
      '--mud',
      LUMINAIRE,
      '--context',
      CONTEXT,
      '--flows',
      flows,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'line 2\tfrom-device\tallowed\tdefault:ntp\t10.0.0.2:5353 -> 10.0.0.123:123 proto 17\tinitiator unknown\n',
    );
  });

  it('reports the deviations of a real-world file on stderr', async () => {
    const result = await runCli([
      'mud',
      'check',
      '--mud',
      at('unsw-iot-mud-profiles/tplinkcamera.json'),
      '--context',
      CONTEXT,
      '--flows',
      at('cases/luminaire-flows.ndjson'),
    ]);
    expect(result.stderr).toContain(
      'deviation nonstandard-port-match at $.ietf-access-control-list:access-lists.acl[0].aces.ace[7].matches.udp.destination-port',
    );
    expect(result.stderr).toContain('deviation skipped-acl');
    expect(result.stderr).toContain(
      'note from-ipv4-tplinkcamera/from-ipv4-tplinkcamera-2: DNS name ipc.tplinkcloud.com has no address bindings',
    );
  });

  it('names file:line:column and the field of a bad context, and exits 2', async () => {
    const context = scratch(
      'ctx.yaml',
      'device:\n  ipv4: 10.0.0.2\nlocal_networks:\n  - 10.0.0.0/24\n  - 10.0.0.0/40\n',
    );
    const result = await runCli([
      'mud',
      'check',
      '--mud',
      LUMINAIRE,
      '--context',
      context,
      '--flows',
      at('cases/luminaire-flows.csv'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${context}:5:5: field "local_networks.1": not an address or CIDR prefix [MUD_CONTEXT_INVALID]`,
    );
  });

  it('names an unknown context field where it is', async () => {
    const context = scratch('ctx.yaml', 'device:\n  ipv4: 10.0.0.2\n  mac: aa:bb\n');
    const result = await runCli([
      'mud',
      'check',
      '--mud',
      LUMINAIRE,
      '--context',
      context,
      '--flows',
      at('cases/luminaire-flows.csv'),
    ]);
    expect(result.stderr).toContain(`${context}:3:3: unknown field "device.mac"`);
    expect(result.code).toBe(2);
  });

  it('names the file and JSON path of a bad MUD file, and exits 2', async () => {
    const mud = scratch(
      'bad.json',
      JSON.stringify({
        'ietf-mud:mud': { 'mud-url': 'https://x.example/y', 'mud-version': 1 },
        'ietf-access-control-list:acls': {
          acl: [
            {
              name: 'a',
              aces: {
                ace: [
                  {
                    name: 'e',
                    matches: { tcp: { 'source-port': { port: 'ssh' } } },
                    actions: { forwarding: 'accept' },
                  },
                ],
              },
            },
          ],
        },
      }),
    );
    const result = await runCli([
      'mud',
      'check',
      '--mud',
      mud,
      '--context',
      CONTEXT,
      '--flows',
      at('cases/luminaire-flows.csv'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${mud}: $.ietf-access-control-list:acls.acl[0].aces.ace[0].matches.tcp.source-port.port: port must be an integer`,
    );
    expect(result.stderr).toContain('[MUD_INVALID]');
  });

  it('exits 2 for a missing flag', async () => {
    const result = await runCli([
      'mud',
      'check',
      '--mud',
      LUMINAIRE,
      '--flows',
      at('cases/luminaire-flows.csv'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--context <ctx.yaml>' not specified");
  });
});

describe('nospy flows check', () => {
  const args = [
    'flows',
    'check',
    '--devices',
    at('cases/devices.yaml'),
    '--flows',
    at('cases/site-flows.csv'),
  ];

  it('aggregates findings over devices, honouring the access grants', async () => {
    const result = await runCli([...args, '--grants', at('cases/grants.yaml'), '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      findings: Record<string, unknown>[];
      grantedLegs: number;
      legs: number;
    };
    expect(
      report.findings.map((f) => [f.device, f.kind, f.remote, f.port, f.records, f.bytes]),
    ).toEqual([
      ['luminaire', 'undeclared-traffic', '10.0.0.3', 5683, 1, 100],
      ['luminaire', 'unapproved-access', '203.0.113.5', 22, 1, 9000],
      ['wemo', 'undeclared-traffic', '185.199.108.1', 4444, 2, 100000],
    ]);
    expect([report.legs, report.grantedLegs]).toEqual([8, 1]);
  });

  it('without grants, every outside SSH session is unapproved', async () => {
    const result = await runCli(args);
    expect(result.stdout).toMatch(
      /luminaire\tunapproved-access\t203\.0\.113\.5\tport 22\tproto 6\t2026-01-01T08:10:00\.000Z\.\.2026-01-01T10:20:00\.000Z\t2 records/,
    );
  });

  it('names the place of a bad grant', async () => {
    const grants = scratch(
      'grants.yaml',
      'grants:\n  - id: g\n    devices: [luminaire]\n    sources: [203.0.113.0/28]\n    from: yesterday\n    until: 2026-01-01T09:00:00Z\n',
    );
    const result = await runCli([...args, '--grants', grants]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${grants}:5:11: field "grants.0.from"`);
    expect(result.stderr).toContain('[MUD_GRANTS_INVALID]');
  });
});
