/**
 * The demo world's documents: its parties, the statements they sign (agreements, releases,
 * deployments, canaries), the vendors' MUD files and SBOMs, its flows and the operator's
 * inventory. Pure: text and statements in, nothing written (world.ts puts them in place).
 */
import { createHash } from 'node:crypto';
import type { FlowRecord } from '../flows/flow-record.js';
import type { Statement } from '../statements/index.js';
import { keyHandle, type NoteSigner } from '../tlog/note-key.js';
import { AGREEMENT_PREDICATE_TYPE } from '../statements/predicates/agreement.js';
import { CANARY_PREDICATE_TYPE } from '../statements/predicates/canary.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../statements/predicates/deployment.js';
import { INVENTORY_PREDICATE_TYPE } from '../statements/predicates/inventory.js';
import { RELEASE_PREDICATE_TYPE } from '../statements/predicates/release.js';

export const ACME = 'Acme Networks';
export const GLOBEX = 'Globex Telecom Systems';
export const OPERATOR = 'Albion Mobile';

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

export const statementOf = (
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

export function agreement(vendor: string, key: NoteSigner, operatorKey: NoteSigner): Statement {
  return statementOf(AGREEMENT_PREDICATE_TYPE, `${vendor} no-spy agreement.pdf`, sha256(vendor), {
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
      { clause: 'canary-every', days: CANARY_DAYS },
      // High and above: a CVSS 7.5 advisory against a shipped component counts.
      { clause: 'critical-vulns-fixed-within', days: 30, severity: 'high' },
      { clause: 'traffic-within-declared-mud' },
      // Two independent evaluators rebuild every release from source within 30 days.
      { clause: 'release-reproduced', evaluators: 2, within_days: 30 },
    ],
  });
}

export function release(
  vendor: string,
  model: string,
  version: string,
  image: Buffer,
  mud: string,
  sbom: string,
): Statement {
  return statementOf(RELEASE_PREDICATE_TYPE, `${model}-${version}.tar.gz`, sha256(image), {
    vendor,
    models: [model],
    version,
    releasedAt: '2026-01-02',
    sbom: { format: 'cyclonedx', digest: { sha256: sha256(sbom) }, inBlobStore: true },
    mud: {
      digest: { sha256: sha256(mud) },
      url: `https://mud.${vendor.split(' ')[0]?.toLowerCase() ?? 'x'}.example/${model}.json`,
    },
  });
}

export function deployment(
  device: string,
  vendor: string,
  model: string,
  image: Buffer,
  observedAt: string,
): Statement {
  return statementOf(DEPLOYMENT_PREDICATE_TYPE, `${device} running image`, sha256(image), {
    operator: OPERATOR,
    device: { id: device, vendor, model, site: 'S01' },
    observedAt,
    method: 'image-hash',
  });
}

/** The operator's inventory, logged: its subject is the file's digest (the file is a blob). */
export function loggedInventory(text: string, asOf: string): Statement {
  return statementOf(INVENTORY_PREDICATE_TYPE, 'inventory.yaml', sha256(text), {
    operator: OPERATOR,
    asOf,
    format: 'yaml',
    inBlobStore: true,
  });
}

/** The agreements' canary interval: each canary names its successor due this many days later. */
export const CANARY_DAYS = 30;

export function canary(vendor: string, day: string): Statement {
  const nextDue = new Date(Date.parse(`${day}T00:00:00Z`) + CANARY_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return statementOf(CANARY_PREDICATE_TYPE, `${vendor} canary ${day}`, sha256(`${vendor}${day}`), {
    vendor,
    period: { from: '2026-01-01', until: day },
    issuedAt: day,
    text: `${vendor} has received no lawful access requests and no demands to weaken its products.`,
    lawfulAccessRequests: { received: 0 },
    nextDue,
  });
}

export function mudFile(url: string, host: string): string {
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

export interface SbomComponent {
  readonly name: string;
  readonly version: string;
  readonly purl: string;
}
export const BUSYBOX: SbomComponent = {
  name: 'busybox',
  version: '1.36.1',
  purl: 'pkg:generic/busybox@1.36.1',
};
/** Ubuntu 20.04's dropbear package, affected by CVE-2021-36369 (UBUNTU-CVE-2021-36369). */
export const DROPBEAR_FOCAL: SbomComponent = {
  name: 'dropbear',
  version: '2019.78-2build1',
  purl: 'pkg:deb/ubuntu/dropbear@2019.78-2build1?arch=source&distro=focal',
};

export const cyclonedx = (
  name: string,
  version: string,
  components: readonly SbomComponent[],
): string =>
  `${JSON.stringify(
    {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      metadata: { component: { type: 'firmware', name, version } },
      components: components.map((c) => ({ type: 'application', ...c })),
    },
    null,
    2,
  )}\n`;

/**
 * A flow as the site router meters it: the exporter fields (address, domain) are the
 * collector's to fill in when the datagram arrives. TCP flows carry the cumulative flags of a
 * whole session (SYN, ACK, PSH, FIN); the source opened the flow.
 */
export function flow(
  src: string,
  dst: string,
  proto: number,
  sport: number,
  dport: number,
  at: string,
): FlowRecord {
  const first = Date.parse(at);
  return {
    exporter: '',
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
    ...(proto === 6 ? { tcpFlags: 0x1b } : {}),
    sampling: 1,
    origin: 'src',
  };
}

export const INVENTORY = (
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
