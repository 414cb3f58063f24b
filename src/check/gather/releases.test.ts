import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../blobs/fs-blob-store.js';
import { ACME, logged, release } from '../test-support.js';
import { openBlobSource } from './blobs.js';
import { isRelease, releasedDeclarations, type LoggedRelease } from './releases.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const MUD = '{"ietf-mud:mud":{}}\n';
const WITH_SERVICES = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  services: [{ name: 'ssh', endpoints: ['tcp://0.0.0.0:22'] }],
});
const WITHOUT_SERVICES = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5' });

describe("the declarations of an image's logged release", () => {
  const root = mkdtempSync(join(tmpdir(), 'nospy-released-'));
  const store = new FsBlobStore({ root: join(root, 'blobs') });
  const image = join(root, 'fw.bin');
  writeFileSync(image, 'firmware image bytes');
  const imageHex = sha256('firmware image bytes');
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  async function releasesWith(sbom: string): Promise<LoggedRelease[]> {
    await store.put(sha256(MUD), Buffer.from(MUD));
    await store.put(sha256(sbom), Buffer.from(sbom));
    const statement = release(ACME, imageHex, ['R1'], {
      sbom: { format: 'cyclonedx', digest: { sha256: sha256(sbom) } },
      mud: { digest: { sha256: sha256(MUD) }, url: 'https://mud.example.com/r1.json' },
    });
    return [logged(statement)].filter(isRelease);
  }

  it('are its MUD file and its CycloneDX SBOM when that lists services', async () => {
    const found = await releasedDeclarations(
      image,
      await releasesWith(WITH_SERVICES),
      openBlobSource(join(root, 'blobs')),
    );
    expect(found.mud === undefined ? undefined : readFileSync(found.mud, 'utf8')).toBe(MUD);
    expect(found.sbom === undefined ? undefined : readFileSync(found.sbom, 'utf8')).toBe(
      WITH_SERVICES,
    );
  });

  it('leave out an SBOM without services, which declares no behaviour', async () => {
    const found = await releasedDeclarations(
      image,
      await releasesWith(WITHOUT_SERVICES),
      openBlobSource(join(root, 'blobs')),
    );
    expect(found.mud).toBeDefined();
    expect(found.sbom).toBeUndefined();
  });

  it('are nothing when no logged release names the image', async () => {
    const other = join(root, 'other.bin');
    writeFileSync(other, 'another image');
    expect(
      await releasedDeclarations(
        other,
        await releasesWith(WITH_SERVICES),
        openBlobSource(join(root, 'blobs')),
      ),
    ).toEqual({});
  });
});
