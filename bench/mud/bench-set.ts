import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlowRecord } from '../../src/flows/flow-record.js';
import type { BehaviourDevice } from '../../src/mud/behaviour.js';
import { compileMud } from '../../src/mud/compile.js';
import { toMudContext, mudContextSchema } from '../../src/mud/context.js';
import type { MudFile } from '../../src/mud/model.js';
import { parseMudText } from '../../src/mud/parse.js';

/** The MUD files of the test fixtures (real published files), read by {@link realisticMudSet}. */
export const MUD_FIXTURES_DIR = fileURLToPath(new URL('../../test/fixtures/mud/', import.meta.url));

export interface MudBenchSet {
  /** One device per address, cycling through the fixture MUD files, each compiled against its own context. */
  readonly devices: readonly BehaviourDevice[];
  /** Records that exercise the devices' rules: allowed traffic, the DNS/NTP defaults and violations. */
  readonly records: readonly FlowRecord[];
  /** The MUD files used (name → ACE count), for the benchmark's header. */
  readonly files: readonly { readonly name: string; readonly aces: number }[];
}

export interface MudBenchOptions {
  /** Device addresses (IPv4); one device each. Default 10.1.0.2 … 10.1.0.(n+1) for the n fixture files. */
  readonly addresses?: readonly string[];
  /** Records to generate (default 100 000). */
  readonly records?: number;
  readonly fixturesDir?: string;
}

/**
 * A realistic MUD set for benchmarks (bench/mud and bench/check call it): the real MUD files of the fixtures
 * (Cisco, MUD Maker, NIST, UNSW/MUDgee) compiled against synthetic operator contexts that bind
 * every DNS name and controller they use, plus generated flow records. Deterministic.
 *
 * @example
 * const { devices, records } = realisticMudSet({ addresses: ['10.0.0.2'] });
 * const check = new BehaviourCheck({ devices });
 * for (const r of records) check.add(r);
 */
export function realisticMudSet(options: MudBenchOptions = {}): MudBenchSet {
  const dir = options.fixturesDir ?? MUD_FIXTURES_DIR;
  const files: { name: string; mud: MudFile }[] = [];
  for (const sub of readdirSync(dir, { withFileTypes: true })) {
    if (!sub.isDirectory() || sub.name === 'cases' || sub.name === 'osmud-legacy-draft') continue;
    for (const file of readdirSync(join(dir, sub.name)).sort()) {
      if (!file.endsWith('.json')) continue;
      files.push({
        name: `${sub.name}/${file}`,
        mud: parseMudText(readFileSync(join(dir, sub.name, file), 'utf8')),
      });
    }
  }
  files.sort((a, b) => (a.name < b.name ? -1 : 1));
  const addresses = options.addresses ?? files.map((_, i) => `10.1.0.${i + 2}`);
  const names = new Map<string, string>();
  const nameAddress = (name: string): string => {
    let address = names.get(name);
    if (address === undefined) {
      address = `198.18.${(names.size >> 8) & 255}.${names.size & 255}`;
      names.set(name, address);
    }
    return address;
  };
  const devices: BehaviourDevice[] = [];
  const targets: { device: string; remote: string; proto: number; port: number }[][] = [];
  addresses.forEach((address, i) => {
    const file = files[i % files.length];
    if (file === undefined) return;
    const { mud } = file;
    const dns: Record<string, string[]> = {};
    const wanted: { device: string; remote: string; proto: number; port: number }[] = [];
    for (const acl of mud.acls.values()) {
      for (const ace of acl.aces) {
        const l3 = ace.matches.l3;
        const name = l3?.destinationDnsName ?? l3?.sourceDnsName;
        const remote = name === undefined ? '10.1.200.9' : nameAddress(name);
        if (name !== undefined) dns[name] = [remote];
        const l4 = ace.matches.l4;
        const port =
          l4 !== undefined && l4.kind !== 'icmp'
            ? (l4.destinationPort?.lo ?? l4.sourcePort?.lo ?? 443)
            : 0;
        const proto = l4?.kind === 'tcp' ? 6 : l4?.kind === 'udp' ? 17 : (l3?.protocol ?? 6);
        wanted.push({ device: address, remote, proto, port });
      }
    }
    const context = toMudContext(
      mudContextSchema.parse({
        device: { ipv4: address, mud_url: mud.mudUrl },
        local_networks: ['10.1.0.0/16'],
        dns,
        controllers: {
          'urn:ietf:params:mud:dns': ['10.1.255.53'],
          'urn:ietf:params:mud:ntp': ['10.1.255.123'],
          'urn:ietf:params:mud:gateway': ['10.1.0.1'],
        },
        my_controller: ['10.1.255.7'],
        peers: [{ address: '10.1.200.9', mud_url: mud.mudUrl }],
      }),
    );
    devices.push({
      id: `dev-${i}`,
      addresses: [address],
      matcher: compileMud(mud, context),
      localNetworks: context.localNetworks,
    });
    targets.push(wanted);
  });
  const count = options.records ?? 100_000;
  const records: FlowRecord[] = [];
  let seed = 0x2545f491;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const t0 = Date.UTC(2026, 0, 1);
  for (let k = 0; k < count; k += 1) {
    const d = random(devices.length);
    const device = devices[d]?.addresses[0] ?? '';
    const choices = targets[d] ?? [];
    const pick = random(10);
    let remote: string;
    let proto: number;
    let port: number;
    const target = choices[random(Math.max(1, choices.length))];
    if (pick < 6 && target !== undefined) {
      ({ remote, proto, port } = target);
    } else if (pick < 8) {
      remote = pick === 6 ? '10.1.255.53' : '10.1.255.123';
      proto = 17;
      port = pick === 6 ? 53 : 123;
    } else {
      // Undeclared traffic repeats (beacons, scans of a few ports), as it does on real networks.
      remote = `203.0.113.${random(16) + 1}`;
      proto = random(2) === 0 ? 6 : 17;
      port = [22, 23, 4444, 6667, 8080, 8443, 9001, 31337][random(8)] ?? 4444;
    }
    const outbound = random(2) === 0;
    const ephemeral = 32768 + random(28000);
    records.push({
      exporter: '192.0.2.1',
      domain: 0,
      first: t0 + k,
      last: t0 + k + 10,
      proto,
      src: outbound ? device : remote,
      dst: outbound ? remote : device,
      sport: outbound ? ephemeral : port,
      dport: outbound ? port : ephemeral,
      packets: 3,
      bytes: 400,
      sampling: 1,
      // Inbound TCP records are the replies of connections the device opened.
      origin: proto === 6 ? (outbound ? 'src' : 'dst') : 'unknown',
    });
  }
  return {
    devices,
    records,
    files: files.map((f) => ({
      name: f.name,
      aces: [...f.mud.acls.values()].reduce((n, acl) => n + acl.aces.length, 0),
    })),
  };
}
