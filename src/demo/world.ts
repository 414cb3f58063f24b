/**
 * The demo world, built through the real paths: generated keys; SBOMs and MUD files PUT into the
 * blob store of a real `nospy serve` server; statements signed, accepted against the trust file
 * and appended to a real log whose checkpoints a real witness cosigns; a firmware image with a
 * planted back door, which an evaluator's rebuild from the vendor's source shows was not built
 * from it (rebuild attestations, their diff reports in the blob store); flows exported as NetFlow v9 and IPFIX datagrams and received by the UDP
 * collector; an OSV record that one release's SBOM is affected by; and an operator inventory
 * that breaks two government rules (docs/demo.md).
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { FsBlobStore } from '../blobs/fs-blob-store.js';
import { openLog } from '../log/open-log.js';
import { createServer } from '../server/server.js';
import { BLOB_SIGNATURE_HEADER, signBlobUpload } from '../blobs/upload-signature.js';
import {
  acceptStatement,
  cosignStatement,
  parseTrustFile,
  serializeEnvelope,
  signStatement,
  type Statement,
} from '../statements/index.js';
import { sigstoreEntriesOf } from '../statements/sigstore/statement-entries.js';
import { generateNoteKey, KEY_TYPE_COSIGNATURE_V1, type NoteSigner } from '../tlog/note-key.js';
import { replayFlows } from './replay-flows.js';
import { startDemoWitness } from './witness.js';
import {
  ACME,
  agreement,
  BUSYBOX,
  canary,
  cyclonedx,
  deployment,
  DROPBEAR_FOCAL,
  flow,
  GLOBEX,
  INVENTORY,
  loggedInventory,
  mudFile,
  OPERATOR,
  release,
  sha256,
  statementOf,
} from './documents.js';
import { ACCESS_PREDICATE_TYPE } from '../statements/predicates/access.js';
import { ACME_IMAGE, GLOBEX_IMAGE } from './images.js';
import { ALBION_LAB, demoRebuilds, OPEN_REBUILDERS } from './rebuilds.js';

export { ACME, GLOBEX, OPERATOR } from './documents.js';

/** The demo's evaluation date: its findings are fixed facts as of this day. */
export const DEMO_DATE = '2026-06-01';
/** The file whose presence marks a complete world (written last, before the rename). */
export const COMPLETE_MARKER = 'COMPLETE';
/** The OSV records shipped with the demo (real records; examples/demo/osv/SOURCES.md). */
const OSV_DIR = fileURLToPath(new URL('../../examples/demo/osv/', import.meta.url));
export const DEMO_OSV_RECORDS = ['UBUNTU-CVE-2021-36369.json'] as const;

const GLOBEX_BETA = Buffer.from('Globex Telecom Systems GX-9 2.2-beta (never released)\n');

/** The demo's flows: Acme's site router exports NetFlow v9, Globex's IPFIX (docs/demo.md). */
const ACME_FLOWS = [
  flow('10.1.0.2', '198.51.100.10', 6, 41000, 443, '2026-05-20T08:00:00Z'),
  flow('198.51.100.7', '10.1.0.2', 6, 52000, 22, '2026-05-20T10:00:00Z'),
];
const GLOBEX_FLOWS = [
  flow('10.1.0.3', '198.51.100.20', 6, 41001, 443, '2026-05-20T08:00:00Z'),
  flow('10.1.0.3', '203.0.113.66', 17, 40400, 53535, '2026-05-20T09:00:00Z'),
  flow('10.1.0.3', '203.0.113.66', 17, 40400, 53535, '2026-05-20T10:00:00Z'),
  flow('192.0.2.200', '10.1.0.3', 6, 53000, 22, '2026-05-20T23:10:00Z'),
];

/**
 * PUTs each document into the server's blob store (`PUT /v1/blobs/sha256:<hex>`), as the vendor
 * that vouches for it: signed with its key, the way a vendor publishes its SBOMs and MUD files.
 */
async function putBlobs(
  url: string,
  writer: NoteSigner | { readonly token: string },
  documents: readonly (string | Buffer)[],
): Promise<void> {
  for (const text of documents) {
    const digest = sha256(text);
    const response = await fetch(`${url}/v1/blobs/sha256:${digest}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/octet-stream',
        // The operator writes with its bearer token; a vendor or evaluator signs the digest.
        ...('token' in writer
          ? { authorization: `Bearer ${writer.token}` }
          : { [BLOB_SIGNATURE_HEADER]: signBlobUpload(writer, digest) }),
      },
      body: text,
    });
    if (response.status !== 201 && response.status !== 200) {
      throw new Error(`PUT /v1/blobs answered ${response.status}: ${await response.text()}`);
    }
  }
}

/** Writes the world into `dir` (which must not exist). */
async function writeWorld(dir: string): Promise<void> {
  const keys = {
    log: generateNoteKey('log.albion.example'),
    acme: generateNoteKey('acme-networks'),
    globex: generateNoteKey('globex-telecom'),
    operator: generateNoteKey('albion-mobile'),
    witness: generateNoteKey('witness.albion.example', KEY_TYPE_COSIGNATURE_V1),
    albionLab: generateNoteKey('albion-evaluation-lab'),
    openRebuilders: generateNoteKey('open-rebuilders'),
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
    `  - { name: ${ALBION_LAB}, role: evaluator, keys: ["${keys.albionLab.vkey}"] }`,
    `  - { name: ${OPEN_REBUILDERS}, role: evaluator, keys: ["${keys.openRebuilders.vkey}"] }`,
    `log: { key: "${keys.log.vkey}" }`,
    `witnesses: { quorum: 1, keys: [{ name: ${keys.witness.name}, key: "${keys.witness.vkey}" }] }`,
    '',
  ].join('\n');
  file('trust.yaml', trustText);
  const trust = parseTrustFile(trustText, 'trust.yaml');
  for (const record of DEMO_OSV_RECORDS) {
    mkdirSync(join(dir, 'osv'), { recursive: true });
    copyFileSync(join(OSV_DIR, record), join(dir, 'osv', record));
  }

  const acmeMud = mudFile('https://mud.acme.example/R1.json', 'cloud.acme.example');
  const globexMud = mudFile('https://mud.globex.example/GX-9.json', 'update.globex.example');
  const acmeSbom = cyclonedx('Acme R1', '3.2', [BUSYBOX]);
  const globexSbom = cyclonedx('Globex GX-9', '2.1', [BUSYBOX, DROPBEAR_FOCAL]);
  file('firmware/acme-r1-3.2.tar.gz', ACME_IMAGE);
  file('firmware/globex-gx9-2.1.tar.gz', GLOBEX_IMAGE);

  const cosigned = (s: Statement, a: NoteSigner, b: NoteSigner) =>
    cosignStatement(signStatement(s, a), b);
  const grant = statementOf(ACCESS_PREDICATE_TYPE, 'grant ACME-2026-05', sha256('grant'), {
    grantId: 'ACME-2026-05',
    vendor: ACME,
    operator: OPERATOR,
    devices: ['acme-r1'],
    window: { from: '2026-05-20T00:00:00Z', until: '2026-05-21T00:00:00Z' },
    sourceNetworks: ['198.51.100.0/24'],
    services: [{ protocol: 'tcp', ports: [22], name: 'ssh' }],
    purpose: 'Upgrade R1 to 3.2 and verify routing tables.',
    ticket: 'ALB-4711',
  });
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
  // The evaluators rebuild both releases (log indexes 2 and 3) from the vendors' source.
  const rebuilds = await demoRebuilds(
    dir,
    file,
    { acme: 2, globex: 3 },
    { albion: keys.albionLab, rebuilders: keys.openRebuilders },
  );
  envelopes.push(...rebuilds.map((r) => r.envelope));
  // The operator logs its inventory (index 18), so its policy findings can be re-checked.
  const inventory = INVENTORY(sha256(ACME_IMAGE), sha256(GLOBEX_IMAGE), sha256(GLOBEX_BETA));
  envelopes.push(signStatement(loggedInventory(inventory, DEMO_DATE), keys.operator));

  // A real witness (c2sp.org/tlog-witness, the `nospy witness serve` server) cosigns every
  // checkpoint: with a quorum of 1 an entry is acknowledged only once it is cosigned.
  const logger = pino({ level: 'silent' });
  const witness = await startDemoWitness(join(dir, 'witness'), keys.witness, keys.log, logger);
  try {
    const log = await openLog({
      dataDir: join(dir, 'log'),
      signer: keys.log,
      logger,
      witnesses: [{ verifier: keys.witness, url: witness.url }],
      witnessQuorum: 1,
    });
    // The log's server, as `nospy serve` runs it: the documents go in through PUT /v1/blobs.
    const operatorToken = randomBytes(16).toString('hex');
    const server = createServer({
      log: log.sequencer,
      store: log.store,
      logger,
      trust,
      submitToken: operatorToken,
      blobs: new FsBlobStore({ root: join(dir, 'log', 'blobs') }),
      onClose: () => log.close(),
    });
    try {
      const url = await server.listen({ port: 0, host: '127.0.0.1' });
      // The vendors' documents and released images; the evaluators' diff reports.
      await putBlobs(url, keys.acme, [acmeSbom, acmeMud, ACME_IMAGE]);
      await putBlobs(url, keys.globex, [globexSbom, globexMud, GLOBEX_IMAGE]);
      for (const r of rebuilds)
        await putBlobs(url, r.signer, r.report === undefined ? [] : [r.report]);
      await putBlobs(url, { token: operatorToken }, [inventory]);
      const now = new Date(`${DEMO_DATE}T00:00:00Z`);
      const accepted = envelopes.map((e) => acceptStatement(serializeEnvelope(e), trust, { now }));
      for (const [i, a] of accepted.entries()) {
        const { index } = await log.sequencer.add(a.entry);
        // The rebuild statements name the releases by these indexes.
        if (index !== i) throw new Error(`statement ${i} was logged at index ${index}`);
      }
      // Their Sigstore entries (one per signature, docs/statements.md), in one batch after them:
      // the server logs each beside its statement, but here the statements keep the indexes the
      // rebuild statements and the docs name.
      await log.sequencer.addGroup(
        accepted.flatMap((a) => sigstoreEntriesOf(a.canonical).map((s) => s.entry)),
      );
    } finally {
      await server.close();
    }
  } finally {
    await witness.close();
  }

  const context = (ip: string, host: string, hostIp: string) =>
    `device: { ipv4: ${ip} }\nlocal_networks: [10.1.0.0/16]\ndns:\n  ${host}: [${hostIp}]\n`;
  file('mud/acme-r1.context.yaml', context('10.1.0.2', 'cloud.acme.example', '198.51.100.10'));
  file('mud/globex-r1.context.yaml', context('10.1.0.3', 'update.globex.example', '198.51.100.20'));
  file('mud/globex-r2.context.yaml', context('10.1.0.4', 'update.globex.example', '198.51.100.20'));
  // The MUD files by digest: the check takes them from the blob store, as the releases name them.
  const acmeRef = `sha256:${sha256(acmeMud)}`;
  const globexRef = `sha256:${sha256(globexMud)}`;
  file(
    'devices.yaml',
    [
      '# MUD files by digest, read from the blob store (each is the one a logged release names).',
      'devices:',
      `  - { id: acme-r1, addresses: [10.1.0.2], mud: "${acmeRef}", context: mud/acme-r1.context.yaml }`,
      `  - { id: globex-r1, addresses: [10.1.0.3], mud: "${globexRef}", context: mud/globex-r1.context.yaml }`,
      `  - { id: globex-r2, addresses: [10.1.0.4], mud: "${globexRef}", context: mud/globex-r2.context.yaml }`,
      '',
    ].join('\n'),
  );
  await replayFlows(join(dir, 'flows.ndjson'), [
    { kind: 'netflow', domain: 1, records: ACME_FLOWS },
    { kind: 'ipfix', domain: 2, records: GLOBEX_FLOWS },
  ]);
  file('inventory.yaml', inventory);
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
