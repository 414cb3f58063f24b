/**
 * `nospy rebuild attest` against a real nospy server: the release read by its log index, the
 * released image fetched from the blob store, the diff report uploaded with the evaluator's
 * signature, the statement published and verified.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_SIGNATURE_HEADER, signBlobUpload } from '../../src/blobs/upload-signature.js';
import { parseDiffReport } from '../../src/firmware/diff/report.js';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import { StatementClient } from '../../src/statements/client.js';
import { signStatement } from '../../src/statements/sign.js';
import { parseStatementPayload, type Statement } from '../../src/statements/statement.js';
import { verifyStatement } from '../../src/statements/verify.js';
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

let temp: ReturnType<typeof tempDir>;
let server: RunningServer;
let released: Buffer;
let releaseIndex: number;
const file = (name: string) => join(temp.dir, name);

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

beforeAll(async () => {
  temp = tempDir('nospy-rebuild-attest-');
  server = await startServer({ dir: join(temp.dir, 'server') });
  const root = writeTree({
    '/etc/version': 'ER 3.1.2\n',
    '/etc/init.d/rcS': '#!/bin/sh\n/usr/sbin/dropbear -p 22\n',
  });
  released = tar(root, 'released.tar', '2026-03-01 00:00Z');
  tar(root, 'rebuilt-timestamps.tar', '2026-03-20 16:00Z');
  const planted = join(temp.dir, 'planted');
  cpSync(root, planted, { recursive: true });
  writeFileSync(
    join(planted, 'etc/init.d/S99support'),
    '#!/bin/sh\ntelnetd -l /bin/sh -p 2323 &\n',
  );
  writeFileSync(file('released-with-backdoor.tar'), tar(planted, 'tmp.tar', '2026-03-01 00:00Z'));
  writeFileSync(file('src.tar.gz'), 'the source archive the lab holds');
  writeFileSync(file('build.sh'), '#!/bin/sh\nmake\n');

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
  const publish = async (statement: Statement): Promise<number> => {
    const response = await postStatement(
      server.url,
      serializeEnvelope(signStatement(statement, key('acme-vendor'))),
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { index: number }).index;
  };
  releaseIndex = await publish(release(released, '3.1.2'));
  // The vendor puts its image in the blob store, where the evaluator fetches it.
  const put = await fetch(`${server.url}/v1/blobs/sha256:${sha(released)}`, {
    method: 'PUT',
    headers: { [BLOB_SIGNATURE_HEADER]: signBlobUpload(key('acme-vendor'), sha(released)) },
    body: released,
  });
  expect(put.status).toBe(201);
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

const attest = (image: string, extra: string[] = []) =>
  runCli([
    '--json',
    'rebuild',
    'attest',
    '--key',
    `${EXAMPLES}keys/example-lab-evaluator.key`,
    '--trust',
    server.trustFile,
    '--release',
    String(releaseIndex),
    '--image',
    file(image),
    '--source',
    `https://git.acme.example/er/firmware@${COMMIT}`,
    '--source-archive',
    file('src.tar.gz'),
    '--recipe',
    file('build.sh'),
    '--toolchain',
    'gcc=12.2.0',
    'buildroot=2024.02.1',
    '--now',
    '2026-03-20T16:00:00Z',
    ...extra,
  ]);

interface Result {
  verdict: string;
  produced: string;
  diffReport: string | null;
  differences: string[];
  index: number | null;
}

async function publishedRebuild(index: number): Promise<Statement> {
  const got = await new StatementClient(server.url).get(index);
  const verified = verifyStatement(got.envelope, server.trust, { now: new Date() });
  expect(verified.valid).toBe(true);
  const parsed = parseStatementPayload(got.envelope.payload);
  if (!parsed.ok) throw new Error('not a statement');
  return parsed.statement;
}

describe('when the evaluator rebuilds the released image bit for bit', () => {
  it('attests equivalent without a diff report', async () => {
    writeFileSync(file('rebuilt-same.tar'), released);
    const run = await attest('rebuilt-same.tar', ['--publish', server.url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Result;
    expect(result).toMatchObject({
      verdict: 'equivalent',
      produced: `sha256:${sha(released)}`,
      diffReport: null,
    });
    const statement = await publishedRebuild(result.index ?? -1);
    expect(statement.predicate).toMatchObject({
      evaluator: 'lab',
      release: { index: releaseIndex, digest: { sha256: sha(released) }, vendor: 'acme' },
      source: {
        uri: 'https://git.acme.example/er/firmware',
        commit: COMMIT,
        archive: { digest: { sha256: sha('the source archive the lab holds') } },
      },
      build: {
        definition: { kind: 'recipe', digest: { sha256: sha('#!/bin/sh\nmake\n') } },
        toolchain: [
          { name: 'gcc', version: '12.2.0' },
          { name: 'buildroot', version: '2024.02.1' },
        ],
      },
      verdict: 'equivalent',
      attestedAt: '2026-03-20T16:00:00Z',
    });
    expect(statement.subject).toEqual([
      { name: 'er-3.1.2.tar', digest: { sha256: sha(released) } },
    ]);
  });
});

describe('when the rebuild differs from the released image in timestamps only', () => {
  it('fetches the released image from the blob store, uploads the report and attests equivalent', async () => {
    const run = await attest('rebuilt-timestamps.tar', ['--publish', server.url]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Result;
    expect(result.verdict).toBe('equivalent');
    expect(result.differences).toEqual([]);
    const hex = (result.diffReport ?? '').slice('sha256:'.length);
    const blob = await fetch(`${server.url}/v1/blobs/sha256:${hex}`);
    expect(blob.status).toBe(200);
    const report = parseDiffReport(Buffer.from(await blob.arrayBuffer()));
    expect(report.ok && report.report.equivalent).toBe(true);
    const statement = await publishedRebuild(result.index ?? -1);
    expect(statement.predicate).toMatchObject({
      diffReport: { digest: { sha256: hex }, inBlobStore: true },
    });
  });
});

describe('when the released image holds a file the source does not build', () => {
  it('refuses a released image that is not an image of the release, before signing anything', async () => {
    const run = await attest('rebuilt-timestamps.tar', [
      '--server',
      server.url,
      '--released',
      file('released-with-backdoor.tar'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is not an image of release \d+.*REBUILD_RELEASED_IMAGE_MISMATCH/);
  });

  it('with the right release, says different and lists the difference', async () => {
    const backdoored = readFileSync(file('released-with-backdoor.tar'));
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'er-3.1.3.tar', digest: { sha256: sha(backdoored) } }],
      predicateType: 'https://nospy.dev/predicates/release/v1',
      predicate: {
        vendor: 'acme',
        models: ['ER-8'],
        version: '3.1.3',
        releasedAt: '2026-03-02',
        sbom: { format: 'cyclonedx', digest: { sha256: sha('sbom') } },
        mud: { digest: { sha256: sha('mud') }, url: 'https://mud.acme.example/er.json' },
      },
    } as Statement;
    const envelope = signStatement(statement, key('acme-vendor'));
    const published = await new StatementClient(server.url).publish(envelope);
    writeFileSync(file('release-3.1.3.json'), serializeEnvelope(envelope));
    const run = await runCli([
      'rebuild',
      'attest',
      '--key',
      `${EXAMPLES}keys/example-lab-evaluator.key`,
      '--evaluator',
      'lab',
      '--release',
      file('release-3.1.3.json'),
      '--server',
      server.url,
      '--released',
      file('released-with-backdoor.tar'),
      '--image',
      file('rebuilt-timestamps.tar'),
      '--source',
      `git@git.acme.example:er/firmware.git@${COMMIT}`,
      '--source-archive',
      file('src.tar.gz'),
      '--recipe',
      file('build.sh'),
      '--toolchain',
      'gcc=12.2.0',
      '--out',
      file('rebuild.json'),
      '--report-out',
      file('report.json'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^DIFFERENT: release \d+ sha256:/);
    expect(run.stdout).toContain('  added /etc/init.d/S99support');
    const report = parseDiffReport(readFileSync(file('report.json')));
    if (!report.ok) throw new Error(report.reason);
    expect(report.report.indicators.onlyInB.map((i) => i.rule)).toEqual(['FW-SVC-010']);
    const envelopeText = JSON.parse(readFileSync(file('rebuild.json'), 'utf8')) as {
      payload: string;
    };
    const signed = JSON.parse(Buffer.from(envelopeText.payload, 'base64').toString()) as Statement;
    expect(signed.predicate).toMatchObject({
      release: { index: published.index },
      verdict: 'different',
      diffReport: { digest: { sha256: sha(readFileSync(file('report.json'))) } },
      source: { uri: 'git@git.acme.example:er/firmware.git' },
    });
  });
});

describe('when the key is not an evaluator', () => {
  it('is refused before signing when the trust file says so', async () => {
    const run = await runCli([
      'rebuild',
      'attest',
      '--key',
      `${EXAMPLES}keys/example-acme-vendor.key`,
      '--trust',
      server.trustFile,
      '--release',
      String(releaseIndex),
      '--server',
      server.url,
      '--image',
      file('rebuilt-same.tar'),
      '--source',
      `https://git.acme.example/er/firmware@${COMMIT}`,
      '--source-archive',
      file('src.tar.gz'),
      '--recipe',
      file('build.sh'),
      '--toolchain',
      'gcc=12.2.0',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is the vendor "acme", not an evaluator/);
  });

  it('is refused at publish when signed anyway (STATEMENT_REJECTED, nothing logged)', async () => {
    const before = server.log.sequencer.checkpoint.size;
    const vendorRun = await runCli([
      'rebuild',
      'attest',
      '--key',
      `${EXAMPLES}keys/example-acme-vendor.key`,
      '--evaluator',
      'lab',
      '--release',
      String(releaseIndex),
      '--publish',
      server.url,
      '--image',
      file('rebuilt-same.tar'),
      '--source',
      `https://git.acme.example/er/firmware@${COMMIT}`,
      '--source-archive',
      file('src.tar.gz'),
      '--recipe',
      file('build.sh'),
      '--toolchain',
      'gcc=12.2.0',
    ]);
    expect(vendorRun.code).toBe(1);
    expect(vendorRun.stderr).toMatch(/STATEMENT_REJECTED/);
    expect(vendorRun.stderr).toMatch(/a rebuild must be signed by its evaluator "lab"/);
    expect(server.log.sequencer.checkpoint.size).toBe(before);
  });
});

describe('usage', () => {
  it('refuses a --source without a commit', async () => {
    const run = await attest('rebuilt-same.tar', [
      '--source',
      'https://git.acme.example/er/firmware',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/expected <VCS URI>@<commit>/);
  });
});
