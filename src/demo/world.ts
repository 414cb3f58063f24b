/**
 * The demo world, built through the real paths: generated keys, statements signed and accepted
 * against the trust file and appended to a real log, a firmware image with a planted back door,
 * MUD files, flows, and an operator inventory that breaks two government rules (docs/demo.md).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatFlowNdjson } from '../flows/flow-file-format.js';
import type { FlowRecord } from '../flows/flow-record.js';
import { openLog } from '../log/open-log.js';
import {
  acceptStatement,
  cosignStatement,
  parseTrustFile,
  serializeEnvelope,
  signStatement,
  type Statement,
} from '../statements/index.js';
import { generateNoteKey, keyHandle, type NoteSigner } from '../tlog/note-key.js';
import { tarGz } from './tar.js';

export const ACME = 'Acme Networks';
export const GLOBEX = 'Globex Telecom Systems';
export const OPERATOR = 'Albion Mobile';
/** The demo's evaluation date: its findings are fixed facts as of this day. */
export const DEMO_DATE = '2026-06-01';
/** The file whose presence marks a complete world (written last, before the rename). */
export const COMPLETE_MARKER = 'COMPLETE';

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

const ACME_IMAGE = tarGz({
  'etc/version': 'Acme Networks R1 3.2\n',
  'etc/ntp.conf': 'server 10.1.0.123\n',
});
/** Globex's image: a beacon in an init script and a hard-coded root password (docs/demo.md). */
const GLOBEX_IMAGE = tarGz({
  'etc/version': 'Globex Telecom Systems GX-9 2.1\n',
  'etc/init.d/S99telemetry':
    '#!/bin/sh\nwhile true; do\n  wget -q -O /dev/null http://beacon.globex-telemetry.example:53535/checkin\n  sleep 3600\ndone &\n',
  'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
  'etc/shadow': 'root:$1$globex$Xu0tkZzq8Sg7VJ0sQnAa01:19000:0:99999:7:::\n',
});
const GLOBEX_BETA = Buffer.from('Globex Telecom Systems GX-9 2.2-beta (never released)\n');

const statementOf = (
  predicateType: string,
  subject: string,
  digest: string,
  predicate: unknown,
): Statement =>
  ({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: subject, digest: { sha256: digest } }],
    predicateType,
    predicate,
  }) as Statement;

function agreement(vendor: string, key: NoteSigner, operatorKey: NoteSigner): Statement {
  return statementOf(
    'https://nospy.dev/predicates/agreement/v1',
    `${vendor} no-spy agreement.pdf`,
    sha256(vendor),
    {
      agreementId: `${vendor.split(' ')[0]?.toUpperCase() ?? 'X'}-ALBION-2026`,
      title: `${vendor} no-spy agreement with ${OPERATOR}`,
      parties: {
        vendor: { name: vendor, key: keyHandle(key) },
        operator: { name: OPERATOR, key: keyHandle(operatorKey) },
      },
      validity: { from: '2026-01-01', until: '2028-12-31' },
      scope: { products: ['router'] },
      clauses: [
        { clause: 'firmware-logged-before-deployment' },
        { clause: 'release-carries-sbom-and-mud' },
        { clause: 'remote-access-only-under-cosigned-grant' },
        { clause: 'canary-every', days: 30 },
        { clause: 'critical-vulns-fixed-within', days: 30, severity: 'critical' },
        { clause: 'traffic-within-declared-mud' },
      ],
    },
  );
}

function release(
  vendor: string,
  model: string,
  version: string,
  image: Buffer,
  mud: string,
  sbom: string,
): Statement {
  return statementOf(
    'https://nospy.dev/predicates/release/v1',
    `${model}-${version}.tar.gz`,
    sha256(image),
    {
      vendor,
      models: [model],
      version,
      releasedAt: '2026-01-02',
      sbom: { format: 'cyclonedx', digest: { sha256: sha256(sbom) }, inBlobStore: true },
      mud: {
        digest: { sha256: sha256(mud) },
        url: `https://mud.${vendor.split(' ')[0]?.toLowerCase() ?? 'x'}.example/${model}.json`,
      },
    },
  );
}

function deployment(
  device: string,
  vendor: string,
  model: string,
  image: Buffer,
  observedAt: string,
): Statement {
  return statementOf(
    'https://nospy.dev/predicates/deployment/v1',
    `${device} running image`,
    sha256(image),
    {
      operator: OPERATOR,
      device: { id: device, vendor, model, site: 'S01' },
      observedAt,
      method: 'image-hash',
    },
  );
}

function canary(vendor: string, day: string): Statement {
  return statementOf(
    'https://nospy.dev/predicates/canary/v1',
    `${vendor} canary ${day}`,
    sha256(`${vendor}${day}`),
    {
      vendor,
      period: { from: '2026-01-01', until: day },
      issuedAt: day,
      text: `${vendor} has received no lawful access requests and no demands to weaken its products.`,
      lawfulAccessRequests: { received: 0 },
      nextDue: '2026-12-31',
    },
  );
}

function mudFile(url: string, host: string): string {
  const ace = (name: string, dir: 'dst' | 'src', portField: string) => ({
    name,
    matches: {
      ipv4: { [`ietf-acldns:${dir}-dnsname`]: host },
      tcp: { [portField]: { operator: 'eq', port: 443 } },
    },
    actions: { forwarding: 'accept' },
  });
  const doc = {
    'ietf-mud:mud': {
      'mud-version': 1,
      'mud-url': url,
      'last-update': '2026-01-02T00:00:00Z',
      'is-supported': true,
      'from-device-policy': { 'access-lists': { 'access-list': [{ name: 'from' }] } },
      'to-device-policy': { 'access-lists': { 'access-list': [{ name: 'to' }] } },
    },
    'ietf-access-control-list:acls': {
      acl: [
        {
          name: 'from',
          type: 'ipv4-acl-type',
          aces: { ace: [ace('cloud', 'dst', 'destination-port')] },
        },
        {
          name: 'to',
          type: 'ipv4-acl-type',
          aces: { ace: [ace('cloud-back', 'src', 'source-port')] },
        },
      ],
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const cyclonedx = (name: string, version: string): string =>
  `${JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, metadata: { component: { type: 'firmware', name, version } }, components: [{ type: 'application', name: 'busybox', version: '1.36.1', purl: 'pkg:generic/busybox@1.36.1' }] }, null, 2)}\n`;

function flow(
  src: string,
  dst: string,
  proto: number,
  sport: number,
  dport: number,
  at: string,
): FlowRecord {
  const first = Date.parse(at);
  return {
    exporter: '10.1.0.1',
    domain: 0,
    first,
    last: first + 4000,
    proto,
    src,
    dst,
    sport,
    dport,
    packets: 12,
    bytes: 2400,
    sampling: 1,
    origin: 'src',
  };
}

const INVENTORY = (
  acme: string,
  globex: string,
  beta: string,
): string => `# Albion Mobile (fictional): Huawei over the UK 5G RAN cap, and covered video equipment
# on a US federal contract (section 889).
schema_version: 1
operator: { id: albion-mobile, name: ${OPERATOR}, country: GB, us_federal_contractor: true }
sites:
${Array.from({ length: 10 }, (_, i) => `  - { id: S${String(i + 1).padStart(2, '0')} }`).join('\n')}
items:
${['S01', 'S02', 'S03', 'S04']
  .map(
    (s) =>
      `  - { id: ran-${s.toLowerCase()}, vendor: Huawei Technologies Co Ltd, site: ${s}, domain: ran, technology: [5G], procured: 2020-03-01, installed: 2020-06-01, traffic_gb_per_day: 200 }`,
  )
  .join('\n')}
${['S05', 'S06', 'S07', 'S08', 'S09', 'S10']
  .map(
    (s) =>
      `  - { id: ran-${s.toLowerCase()}, vendor: Ericsson, site: ${s}, domain: ran, technology: [5G], procured: 2020-03-01, installed: 2020-06-01, traffic_gb_per_day: 100 }`,
  )
  .join('\n')}
  - { id: cam-hq-1, vendor: Hangzhou Hikvision Digital Technology Co Ltd, site: S01, domain: physical-security, technology: [CCTV], installed: 2025-02-01, purpose: public-safety }
  - { id: acme-r1, vendor: ${ACME}, model: R1, site: S01, domain: core, technology: [IP], installed: 2026-01-15, addresses: [10.1.0.2], firmware: { sha256: ${acme} } }
  - { id: globex-r1, vendor: ${GLOBEX}, model: GX-9, site: S02, domain: core, technology: [IP], installed: 2026-01-15, addresses: [10.1.0.3], firmware: { sha256: ${globex} } }
  - { id: globex-r2, vendor: ${GLOBEX}, model: GX-9, site: S03, domain: core, technology: [IP], installed: 2026-01-15, addresses: [10.1.0.4], firmware: { sha256: ${beta} } }
`;

/** Writes the world into `dir` (which must not exist). */
async function writeWorld(dir: string): Promise<void> {
  const keys = {
    log: generateNoteKey('log.albion.example'),
    acme: generateNoteKey('acme-networks'),
    globex: generateNoteKey('globex-telecom'),
    operator: generateNoteKey('albion-mobile'),
  };
  const file = (name: string, content: string | Buffer): void => {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  };
  for (const [name, key] of Object.entries(keys)) {
    file(`keys/${name}.key`, `${key.skey}\n`);
    file(`keys/${name}.vkey`, `${key.vkey}\n`);
  }
  const trustText = [
    'parties:',
    `  - { name: ${ACME}, role: vendor, keys: ["${keys.acme.vkey}"] }`,
    `  - { name: ${GLOBEX}, role: vendor, keys: ["${keys.globex.vkey}"] }`,
    `  - { name: ${OPERATOR}, role: operator, keys: ["${keys.operator.vkey}"] }`,
    `log: { key: "${keys.log.vkey}" }`,
    '',
  ].join('\n');
  file('trust.yaml', trustText);
  const trust = parseTrustFile(trustText, 'trust.yaml');

  const acmeMud = mudFile('https://mud.acme.example/R1.json', 'cloud.acme.example');
  const globexMud = mudFile('https://mud.globex.example/GX-9.json', 'update.globex.example');
  const acmeSbom = cyclonedx('Acme R1', '3.2');
  const globexSbom = cyclonedx('Globex GX-9', '2.1');
  file('firmware/acme-r1-3.2.tar.gz', ACME_IMAGE);
  file('firmware/globex-gx9-2.1.tar.gz', GLOBEX_IMAGE);
  file('mud/acme-r1.json', acmeMud);
  file('mud/globex-gx9.json', globexMud);
  file('sbom/acme-r1-3.2.cdx.json', acmeSbom);
  file('sbom/globex-gx9-2.1.cdx.json', globexSbom);

  const cosigned = (s: Statement, a: NoteSigner, b: NoteSigner) =>
    cosignStatement(signStatement(s, a), b);
  const grant = statementOf(
    'https://nospy.dev/predicates/access/v1',
    'grant ACME-2026-05',
    sha256('grant'),
    {
      grantId: 'ACME-2026-05',
      vendor: ACME,
      operator: OPERATOR,
      devices: ['acme-r1'],
      window: { from: '2026-05-20T00:00:00Z', until: '2026-05-21T00:00:00Z' },
      sourceNetworks: ['198.51.100.0/24'],
      services: [{ protocol: 'tcp', ports: [22], name: 'ssh' }],
      purpose: 'Upgrade R1 to 3.2 and verify routing tables.',
      ticket: 'ALB-4711',
    },
  );
  const envelopes = [
    cosigned(agreement(ACME, keys.acme, keys.operator), keys.acme, keys.operator),
    cosigned(agreement(GLOBEX, keys.globex, keys.operator), keys.globex, keys.operator),
    signStatement(release(ACME, 'R1', '3.2', ACME_IMAGE, acmeMud, acmeSbom), keys.acme),
    signStatement(release(GLOBEX, 'GX-9', '2.1', GLOBEX_IMAGE, globexMud, globexSbom), keys.globex),
    signStatement(
      deployment('acme-r1', ACME, 'R1', ACME_IMAGE, '2026-01-15T09:00:00Z'),
      keys.operator,
    ),
    signStatement(
      deployment('globex-r1', GLOBEX, 'GX-9', GLOBEX_IMAGE, '2026-01-15T09:00:00Z'),
      keys.operator,
    ),
    signStatement(
      deployment('globex-r2', GLOBEX, 'GX-9', GLOBEX_BETA, '2026-01-15T09:00:00Z'),
      keys.operator,
    ),
    cosigned(grant, keys.acme, keys.operator),
    ...['2026-01-05', '2026-02-03', '2026-03-03', '2026-04-01', '2026-04-30', '2026-05-28'].map(
      (d) => signStatement(canary(ACME, d), keys.acme),
    ),
    signStatement(canary(GLOBEX, '2026-01-10'), keys.globex),
  ];
  const log = await openLog({ dataDir: join(dir, 'log'), signer: keys.log });
  try {
    const now = new Date(`${DEMO_DATE}T00:00:00Z`);
    for (const e of envelopes)
      await log.sequencer.add(acceptStatement(serializeEnvelope(e), trust, { now }).entry);
  } finally {
    await log.close();
  }

  const context = (ip: string, host: string, hostIp: string) =>
    `device: { ipv4: ${ip} }\nlocal_networks: [10.1.0.0/16]\ndns:\n  ${host}: [${hostIp}]\n`;
  file('mud/acme-r1.context.yaml', context('10.1.0.2', 'cloud.acme.example', '198.51.100.10'));
  file('mud/globex-r1.context.yaml', context('10.1.0.3', 'update.globex.example', '198.51.100.20'));
  file('mud/globex-r2.context.yaml', context('10.1.0.4', 'update.globex.example', '198.51.100.20'));
  file(
    'devices.yaml',
    [
      'devices:',
      '  - { id: acme-r1, addresses: [10.1.0.2], mud: mud/acme-r1.json, context: mud/acme-r1.context.yaml }',
      '  - { id: globex-r1, addresses: [10.1.0.3], mud: mud/globex-gx9.json, context: mud/globex-r1.context.yaml }',
      '  - { id: globex-r2, addresses: [10.1.0.4], mud: mud/globex-gx9.json, context: mud/globex-r2.context.yaml }',
      '',
    ].join('\n'),
  );
  const flows = [
    flow('10.1.0.2', '198.51.100.10', 6, 41000, 443, '2026-05-20T08:00:00Z'),
    flow('198.51.100.7', '10.1.0.2', 6, 52000, 22, '2026-05-20T10:00:00Z'),
    flow('10.1.0.3', '198.51.100.20', 6, 41001, 443, '2026-05-20T08:00:00Z'),
    flow('10.1.0.3', '203.0.113.66', 17, 40400, 53535, '2026-05-20T09:00:00Z'),
    flow('10.1.0.3', '203.0.113.66', 17, 40400, 53535, '2026-05-20T10:00:00Z'),
    flow('192.0.2.200', '10.1.0.3', 6, 53000, 22, '2026-05-20T23:10:00Z'),
  ];
  file('flows.ndjson', flows.map((r) => `${formatFlowNdjson(r)}\n`).join(''));
  file('inventory.yaml', INVENTORY(sha256(ACME_IMAGE), sha256(GLOBEX_IMAGE), sha256(GLOBEX_BETA)));
  file(COMPLETE_MARKER, `${DEMO_DATE}\n`);
}

/**
 * Builds the demo world in `dir`: skipped when a complete world is there (unless `force`);
 * built in a temporary sibling directory and renamed into place, so `dir` is whole or absent.
 */
export async function buildDemoWorld(
  dir: string,
  options: { force?: boolean } = {},
): Promise<{ built: boolean }> {
  if (existsSync(join(dir, COMPLETE_MARKER)) && options.force !== true) return { built: false };
  const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
  mkdirSync(dirname(dir), { recursive: true });
  try {
    await writeWorld(tmp);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  return { built: true };
}
