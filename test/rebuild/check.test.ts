/**
 * Binary equivalence end to end on a real server: the vendor logs an agreement with the
 * `release-reproduced` clause and two releases, an evaluator attests them with
 * `nospy rebuild attest --publish`, `nospy check` reads the served log, and the evidence of both
 * findings (release-not-reproduced, release-not-equivalent) verifies offline with `nospy verify`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/check/index.js';
import { parseDiffReport } from '../../src/firmware/diff/report.js';
import { BLOB_SIGNATURE_HEADER, signBlobUpload } from '../../src/blobs/upload-signature.js';
import { addSignature, serializeEnvelope } from '../../src/statements/dsse.js';
import { loadStatementFile } from '../../src/statements/files.js';
import { signStatement } from '../../src/statements/sign.js';
import type { Statement } from '../../src/statements/statement.js';
import { writeTree } from '../firmware/images.js';
import { runCli } from '../helpers/run-cli.js';
import {
  EXAMPLES,
  key,
  postStatement,
  startServer,
  tempDir,
  type RunningServer,
} from '../statements-server/helpers.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const COMMIT = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const NOW = '2026-06-01T00:00:00Z';

let temp: ReturnType<typeof tempDir>;
let server: RunningServer;
let report: Report;
const file = (name: string) => join(temp.dir, name);
const indexes: Record<string, number> = {};

function tar(root: string, out: string, mtime: string): Buffer {
  execFileSync('tar', [
    '--format=gnu',
    `--mtime=${mtime}`,
    '--owner=0',
    '--group=0',
    '-C',
    root,
    '-cf',
    file(out),
    '.',
  ]);
  return readFileSync(file(out));
}

async function publish(name: string, statement: Statement, signers: string[]): Promise<void> {
  let envelope = signStatement(statement, key(signers[0] ?? ''));
  for (const other of signers.slice(1)) envelope = addSignature(envelope, key(other));
  const response = await postStatement(server.url, serializeEnvelope(envelope));
  expect(response.status, name).toBe(200);
  indexes[name] = ((await response.json()) as { index: number }).index;
}

const release = (image: Buffer, version: string): Statement => ({
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: `er-${version}.tar`, digest: { sha256: sha(image) } }],
  predicateType: 'https://nospy.dev/predicates/release/v1',
  predicate: {
    vendor: 'acme',
    models: ['ER-8'],
    version,
    releasedAt: '2026-03-01',
    sbom: { format: 'cyclonedx', digest: { sha256: sha('sbom') } },
    mud: { digest: { sha256: sha('mud') }, url: 'https://mud.acme.example/er.json' },
  },
});

const deployment = (device: string, image: Buffer): Statement => ({
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'running', digest: { sha256: sha(image) } }],
  predicateType: 'https://nospy.dev/predicates/deployment/v1',
  predicate: {
    operator: 'telco',
    device: { id: device, vendor: 'acme', model: 'ER-8' },
    observedAt: '2026-03-10T00:00:00Z',
    method: 'image-hash',
  },
});

beforeAll(async () => {
  temp = tempDir('nospy-rebuild-check-');
  server = await startServer({ dir: join(temp.dir, 'server') });
  const root = writeTree({
    '/etc/version': 'ER 3.2\n',
    '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n',
  });
  const planted = file('planted');
  cpSync(root, planted, { recursive: true });
  writeFileSync(join(planted, 'etc/inetd.conf'), 'support stream tcp nowait root /bin/sh sh -i\n');
  const clean = tar(root, 'clean.tar', '2026-03-01 00:00Z');
  tar(root, 'clean-rebuilt.tar', '2026-03-15 00:00Z');
  const backdoored = tar(planted, 'backdoored.tar', '2026-03-01 00:00Z');
  writeFileSync(file('src.tar.gz'), 'source');
  writeFileSync(file('build.sh'), 'make\n');

  const { statement } = loadStatementFile(`${EXAMPLES}statements/agreement.yaml`);
  if (statement.predicateType !== 'https://nospy.dev/predicates/agreement/v1')
    throw new Error('not an agreement');
  const agreement = {
    ...statement,
    predicate: {
      ...statement.predicate,
      clauses: [{ clause: 'release-reproduced', evaluators: 2, within_days: 30 }],
    },
  } as Statement;
  await publish('agreement', agreement, ['acme-vendor', 'telco-operator']);
  await publish('clean', release(clean, '3.2'), ['acme-vendor']);
  await publish('backdoored', release(backdoored, '3.3'), ['acme-vendor']);
  await publish('er-1', deployment('er-1', clean), ['telco-operator']);
  await publish('er-2', deployment('er-2', backdoored), ['telco-operator']);
  for (const image of [clean, backdoored]) {
    const put = await fetch(`${server.url}/v1/blobs/sha256:${sha(image)}`, {
      method: 'PUT',
      headers: { [BLOB_SIGNATURE_HEADER]: signBlobUpload(key('acme-vendor'), sha(image)) },
      body: image,
    });
    expect(put.status).toBe(201);
    // Read the answer to its end, so the connection is idle again when the server closes.
    await put.arrayBuffer();
  }
  // The lab rebuilds both from source: the clean one differs in timestamps only.
  for (const [name, code] of [
    ['clean', 0],
    ['backdoored', 1],
  ] as const) {
    const run = await runCli([
      'rebuild',
      'attest',
      '--key',
      `${EXAMPLES}keys/example-lab-evaluator.key`,
      '--trust',
      server.trustFile,
      '--release',
      String(indexes[name]),
      '--image',
      file('clean-rebuilt.tar'),
      '--source',
      `https://git.acme.example/er/firmware@${COMMIT}`,
      '--source-archive',
      file('src.tar.gz'),
      '--recipe',
      file('build.sh'),
      '--toolchain',
      'gcc=12.2.0',
      '--now',
      '2026-03-20T00:00:00Z',
      '--publish',
      server.url,
    ]);
    expect(run.code, run.stderr).toBe(code);
  }
  writeFileSync(
    file('nospy.yaml'),
    `trust: ${server.trustFile}\ncheck:\n  log: ${server.url}\n  date: 2026-06-01\n`,
  );
  const check = await runCli(['check', '--config', file('nospy.yaml'), '--json']);
  expect(check.stderr).toBe('');
  expect(check.code).toBe(1);
  report = JSON.parse(check.stdout) as Report;
}, 120_000);

afterAll(async () => {
  await server.close();
  temp.remove();
});

const found = (kind: string): Finding => {
  const f = report.findings.find((x) => x.kind === kind);
  if (f === undefined) throw new Error(`no ${kind} finding`);
  return f;
};

describe('nospy check on releases an evaluator rebuilt', () => {
  it('finds the clean release attested by one of the two evaluators the clause asks for', () => {
    const f = found('release-not-reproduced');
    expect(f.severity).toBe('high');
    expect(f.explanation).toContain(
      'is attested equivalent by 1 (lab) of the 2 distinct evaluator(s)',
    );
    expect(f.explanation).toContain('Running on er-1.');
  });

  it('finds the backdoored release not equivalent, with the diff report it names summarised', async () => {
    const f = found('release-not-equivalent');
    expect(f.severity).toBe('critical');
    expect(f.explanation).toContain('Running on er-2.');
    const diff = f.evidence.find((e) => e.type === 'diff');
    if (diff?.type !== 'diff') throw new Error('no diff evidence');
    expect(diff.files?.filter((x) => x.change !== 'metadata')).toEqual([
      { path: '/etc/inetd.conf', change: 'added', classification: null },
    ]);
    expect(diff.indicators?.onlyInB.map((i) => i.rule)).toEqual(['FW-SVC-010']);
    // The summary is checked against the report itself, whose digest the statement signs.
    const blob = Buffer.from(
      await (await fetch(`${server.url}/v1/blobs/${diff.report}`)).arrayBuffer(),
    );
    expect(`sha256:${sha(blob)}`).toBe(diff.report);
    const parsed = parseDiffReport(blob);
    // Equivalence breakers first in the summary; the same entries as the report.
    expect(parsed.ok && parsed.report.files.map((x) => x.path).sort()).toEqual(
      diff.files?.map((x) => x.path).sort(),
    );
  });

  it.each(['release-not-reproduced', 'release-not-equivalent'])(
    'gives %s statement evidence that nospy verify accepts offline',
    async (kind) => {
      const f = found(kind);
      const statements = f.evidence.filter((e) => e.type === 'statement');
      // The release, the rebuild attestation(s), the agreement, the device's deployment.
      expect(statements.length).toBe(4);
      for (const [i, e] of statements.entries()) {
        const bundle = file(`${kind}-${i}.json`);
        // The statement evidence is itself an evidence bundle: saved as it comes.
        writeFileSync(bundle, JSON.stringify(e));
        const verify = await runCli([
          'verify',
          '--trust',
          server.trustFile,
          '--now',
          NOW,
          '--json',
          bundle,
        ]);
        expect(verify.code, verify.stdout).toBe(0);
        const result = JSON.parse(verify.stdout) as {
          valid: boolean;
          index: number;
          predicate: string;
        };
        expect(result.valid).toBe(true);
        expect(result.index).toBe(e.index);
      }
      const predicates = await Promise.all(
        statements.map(async (e, i) => {
          const run = await runCli([
            'verify',
            '--trust',
            server.trustFile,
            '--now',
            NOW,
            '--json',
            file(`${kind}-${i}.json`),
          ]);
          return (JSON.parse(run.stdout) as { predicate: string }).predicate;
        }),
      );
      expect(predicates).toEqual(['release', 'rebuild', 'agreement', 'deployment']);
    },
  );
});
