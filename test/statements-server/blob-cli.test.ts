import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../src/statements/dsse.js';
import { runCli } from '../helpers/run-cli.js';
import { EXAMPLES, startServer, tempDir, type RunningServer } from './helpers.js';

const VENDOR_KEY = `${EXAMPLES}keys/example-acme-vendor.key`;
const OPERATOR_KEY = `${EXAMPLES}keys/example-telco-operator.key`;

let temp: ReturnType<typeof tempDir>;
let server: RunningServer;
let sbom: string;
let mud: string;
const sha = (file: string): string =>
  `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;

beforeAll(async () => {
  temp = tempDir();
  server = await startServer({ dir: join(temp.dir, 'log') });
  sbom = join(temp.dir, 'sbom.cdx.json');
  // A key's base64 may hold "+", the signature header's field separator: no matter here.
  writeFileSync(sbom, '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}\n');
  mud = join(temp.dir, 'mud.json');
  writeFileSync(mud, '{"ietf-mud:mud":{"mud-version":1}}\n');
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

describe('nospy blob put', () => {
  it('uploads each file signed as the vendor and prints each digest', async () => {
    const result = await runCli([
      'blob',
      'put',
      '--server',
      server.url,
      '--key',
      VENDOR_KEY,
      sbom,
      mud,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${sha(sbom)}  ${sbom}\n${sha(mud)}  ${mud}\n`);
  });

  it('is refused for a key that is not a vendor of the trust file (exit 2, BLOB_UNAUTHORIZED)', async () => {
    const result = await runCli([
      'blob',
      'put',
      '--server',
      server.url,
      '--key',
      OPERATOR_KEY,
      sbom,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BLOB_UNAUTHORIZED');
  });
});

describe('nospy blob get', () => {
  it('writes the blob named by its digest, checked against it', async () => {
    await runCli(['blob', 'put', '--server', server.url, '--key', VENDOR_KEY, sbom]);
    const out = join(temp.dir, 'copy.json');
    const result = await runCli(['blob', 'get', '--server', server.url, '--out', out, sha(sbom)]);
    expect(result.code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(sbom));
    const stdout = await runCli(['blob', 'get', '--server', server.url, sha(sbom)]);
    expect(stdout.stdout).toBe(readFileSync(sbom, 'utf8'));
  });

  it('says the server holds no such blob (exit 2, BLOB_NOT_FOUND)', async () => {
    const result = await runCli([
      'blob',
      'get',
      '--server',
      server.url,
      `sha256:${'0'.repeat(64)}`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BLOB_NOT_FOUND');
  });
});

describe('nospy statement sign --sbom --mud --server', () => {
  it('uploads both files, and signs a release naming exactly their digests, in the blob store', async () => {
    const out = join(temp.dir, 'release.json');
    const result = await runCli([
      'statement',
      'sign',
      '--key',
      VENDOR_KEY,
      '--sbom',
      sbom,
      '--mud',
      mud,
      '--server',
      server.url,
      '--out',
      out,
      `${EXAMPLES}statements/release.yaml`,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`uploaded ${sbom}: ${sha(sbom)}`);
    const envelope = parseEnvelope(readFileSync(out));
    const statement = JSON.parse(envelope.payload.toString('utf8')) as {
      predicate: { sbom: Record<string, unknown>; mud: Record<string, unknown> };
    };
    expect(statement.predicate.sbom).toMatchObject({
      format: 'cyclonedx',
      digest: { sha256: sha(sbom).slice(7) },
      inBlobStore: true,
    });
    expect(statement.predicate.mud).toMatchObject({ digest: { sha256: sha(mud).slice(7) } });
    const got = await fetch(`${server.url}/v1/blobs/${sha(mud)}`);
    expect(got.status).toBe(200);
    const published = await runCli(['statement', 'publish', '--server', server.url, out]);
    expect(published.code).toBe(0);
    const listed = await runCli(['statement', 'list', '--server', server.url, '--type', 'release']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^0\trelease\tacme\tsha256:[0-9a-f]{64}\n$/);
    const none = await runCli(['statement', 'list', '--server', server.url, '--vendor', 'other']);
    expect(none.stdout).toBe('no statements\n');
  });
});
