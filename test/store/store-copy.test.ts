/**
 * `nospy store copy` between a data directory and PostgreSQL, both ways: the copy holds the same
 * signed checkpoint, entries, tiles, statement index and blobs, and verifies with `nospy log
 * verify` wherever it is; a source whose entries no longer hash to its signed root is refused
 * with nothing claimed complete, and a destination that is not empty, or holds another log, is
 * refused before anything is written.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import type { BlobStorePort } from '../../src/blobs/blob-store-port.js';
import { openLogStores } from '../../src/cli/log-store.js';
import { unfinishedCopyNote } from '../../src/log/copy/copy-log.js';
import { openLog } from '../../src/log/open-log.js';
import type { LogStorePort } from '../../src/store/log-store-port.js';
import { SqliteLogStore } from '../../src/store/sqlite/sqlite-log-store.js';
import type { StoreLocation } from '../../src/store/store-url.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { tilesForSize } from '../../src/tlog/tiles.js';
import { tempDir } from '../log/helpers.js';
import { createTestDatabase, queryDatabase, type TestDatabase } from '../helpers/postgres.js';
import { requireTools } from '../helpers/require-tools.js';
import { runCli } from '../helpers/run-cli.js';

const key = generateNoteKey('copy.example/log');
const other = generateNoteKey('other.example/log');
const vendor = generateNoteKey('acme');
const trustText = (logVkey: string) =>
  `parties:\n  - { name: Acme, role: vendor, keys: ["${vendor.vkey}"] }\nlog: { key: "${logVkey}" }\n`;
/** More than one batch of a copy (1,024), five level-0 tiles, a level-1 tile and a partial bundle. */
const SIZE = 1300;
/** A blob of several 256 KiB chunks, and a small one. */
const BLOBS = [randomBytes(600 * 1024), Buffer.from('a small document')];
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Everything a copy must carry, read through the ports, for comparing two stores. */
async function contents(location: StoreLocation) {
  const stores = await openLogStores(location);
  try {
    const log = stores.log;
    const checkpoint = await log.latestCheckpoint();
    const size = checkpoint?.size ?? 0;
    const tiles: string[] = [];
    for (const tile of tilesForSize(size)) {
      tiles.push((await log.readTile(tile.level, tile.index))?.toString('hex') ?? 'missing');
    }
    const indexed = await log.statementIndexSize();
    return {
      checkpoint,
      entries: (await log.readEntries(0, size + 10)).map((entry) => sha256(entry)),
      tiles,
      indexed,
      statements: await log.findStatements({ below: indexed, limit: 10_000 }),
      loggedTimes: [...(await log.loggedTimes(Array.from({ length: size }, (_, i) => i)))],
      blobs: await blobContents(stores.blobs),
    };
  } finally {
    await stores.log.close();
    await stores.close();
  }
}

async function blobContents(blobs: BlobStorePort): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const digest of blobs.digests()) {
    const blob = await blobs.get(digest);
    const chunks: Buffer[] = [];
    for await (const chunk of blob?.stream ?? []) chunks.push(chunk as Buffer);
    out[digest] = sha256(Buffer.concat(chunks));
  }
  return out;
}

describe('nospy store copy', () => {
  requireTools('postgresql');
  let temp: ReturnType<typeof tempDir>;
  let database: TestDatabase;
  let trustFile: string;
  let source: string;

  beforeEach(async () => {
    temp = tempDir('nospy-store-copy-');
    database = await createTestDatabase();
    trustFile = join(temp.dir, 'trust.yaml');
    writeFileSync(trustFile, trustText(key.vkey));
    source = join(temp.dir, 'source');
    const log = await openLog({ dataDir: source, signer: key });
    // In waves a few milliseconds apart: checkpoints signed at different times, some inside one
    // copy batch, whose entries' logged times the copy must keep.
    for (const [from, to] of [
      [0, 500],
      [500, 1100],
      [1100, SIZE],
    ] as const) {
      await Promise.all(
        Array.from({ length: to - from }, (_, i) =>
          log.sequencer.add(Buffer.from(`entry ${from + i}`)),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await log.close();
    const store: LogStorePort = new SqliteLogStore(source);
    await store.indexStatements(0, SIZE, [
      { index: 3, type: 'release', vendor: 'acme', subjects: [`sha256:${'a'.repeat(64)}`] },
      {
        index: 650,
        type: 'access',
        vendor: undefined,
        subjects: [`sha256:${'b'.repeat(64)}`, `sha256:${'c'.repeat(64)}`],
        payload: 'd'.repeat(64),
      },
    ]);
    await store.close();
    const blobs = new FsBlobStore({ root: join(source, 'blobs') });
    for (const blob of BLOBS) await blobs.put(sha256(blob), blob);
  });
  afterEach(async () => {
    temp.remove();
    await database.drop();
  });

  const copy = (from: string, to: string, trust = trustFile) =>
    runCli(['store', 'copy', '--from', from, '--to', to, '--trust', trust, '--json'], {
      cwd: temp.dir,
      env: {},
    });
  const verify = (log: string) =>
    runCli(
      [
        'log',
        'verify',
        log,
        '--trust',
        trustFile,
        '--state',
        join(temp.dir, `${randomBytes(4).toString('hex')}.state`),
        '--json',
      ],
      {
        cwd: temp.dir,
        env: {},
      },
    );

  describe('from a data directory to PostgreSQL and back', () => {
    it('gives the same log, statement index and blobs at each step, and each copy verifies', async () => {
      const there = await copy(source, database.url);
      expect(there.code, there.stderr).toBe(0);
      expect(JSON.parse(there.stdout)).toMatchObject({
        origin: 'copy.example/log',
        size: SIZE,
        statements: 2,
        blobsCopied: 2,
      });
      const back = join(temp.dir, 'back');
      const returned = await copy(database.url, `sqlite:${back}`);
      expect(returned.code, returned.stderr).toBe(0);

      const original = await contents({ kind: 'sqlite', dataDir: source });
      expect(original.entries).toHaveLength(SIZE);
      expect(new Set(original.loggedTimes.map(([, at]) => at)).size).toBeGreaterThanOrEqual(3);
      expect(Object.keys(original.blobs)).toHaveLength(2);
      expect(await contents({ kind: 'postgres', url: database.url })).toEqual(original);
      expect(await contents({ kind: 'sqlite', dataDir: back })).toEqual(original);

      for (const copied of [database.url, back]) {
        const verified = await verify(copied);
        expect(verified.code, verified.stderr).toBe(0);
        expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, size: SIZE, entries: SIZE });
      }
    });

    it('leaves a log the server can sign on top of', async () => {
      expect((await copy(source, database.url)).code).toBe(0);
      const stores = await openLogStores({ kind: 'postgres', url: database.url });
      const log = await openLog({ store: stores.log, signer: key });
      try {
        expect(await log.sequencer.add(Buffer.from('entry 0'))).toMatchObject({ index: 0 });
        expect(await log.sequencer.add(Buffer.from('one more'))).toMatchObject({ index: SIZE });
      } finally {
        await log.close();
        await stores.close();
      }
    });
  });

  describe('when an entry of the source was changed after it was signed', () => {
    it('refuses with LOG_UNVERIFIED, exit 2, and leaves a copy marked unfinished', async () => {
      expect((await copy(source, database.url)).code).toBe(0);
      await queryDatabase(database.url, "UPDATE log_entries SET data = 'entry X' WHERE idx = 300");
      const target = join(temp.dir, 'target');
      const refused = await copy(database.url, target);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('LOG_UNVERIFIED');
      expect(refused.stderr).toContain('not to the signed root');

      const left = await contents({ kind: 'sqlite', dataDir: target });
      expect(left.checkpoint?.note).toBe(unfinishedCopyNote('copy.example/log'));
      const verified = await verify(target);
      expect(verified.code).toBe(2);
      const again = await copy(source, target);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('STORE_NOT_EMPTY');
      expect(again.stderr).toContain('unfinished copy');
    });
  });

  describe('when the destination is not empty', () => {
    it('refuses a destination that already holds the log, with STORE_NOT_EMPTY', async () => {
      expect((await copy(source, database.url)).code).toBe(0);
      const refused = await copy(source, database.url);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('STORE_NOT_EMPTY');
      expect(refused.stderr).toContain(`already holds copy.example/log at size ${SIZE}`);
    });

    it('refuses a destination holding another log, naming its origin, and writes nothing', async () => {
      const log = await openLog({ dataDir: join(temp.dir, 'other'), signer: other });
      await log.sequencer.add(Buffer.from('another log'));
      await log.close();
      const otherTrust = join(temp.dir, 'other.yaml');
      writeFileSync(otherTrust, trustText(other.vkey));
      expect((await copy(join(temp.dir, 'other'), database.url, otherTrust)).code).toBe(0);
      const refused = await copy(source, database.url);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('LOG_STATE_INVALID');
      expect(refused.stderr).toContain('holds another log: other.example/log');
      expect(await queryDatabase(database.url, 'SELECT idx FROM log_entries')).toHaveLength(1);
    });
  });

  describe('when the trust material names another key', () => {
    it("refuses the source's checkpoint with LOG_UNVERIFIED and writes nothing", async () => {
      const otherTrust = join(temp.dir, 'other.yaml');
      writeFileSync(otherTrust, trustText(other.vkey));
      const refused = await copy(source, database.url, otherTrust);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('LOG_UNVERIFIED');
      expect(refused.stderr).toContain('does not verify under the log key');
      expect(await queryDatabase(database.url, 'SELECT idx FROM log_entries')).toHaveLength(0);
    });
  });
});
