import { createServer as createHttpServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateNoteKey, KEY_TYPE_COSIGNATURE_V1, withKeyType } from '../../src/tlog/note-key.js';
import { cosign } from '../../src/tlog/cosignature.js';
import { parseNote } from '../../src/tlog/note.js';
import { entriesPath, tilePath, tilesForSize } from '../../src/tlog/tiles.js';
import { runCli } from '../helpers/run-cli.js';
import { add, startLog, tempDir, type RunningLog } from './helpers.js';

const logKey = generateNoteKey('log.example/test');
const witnessKey = withKeyType(generateNoteKey('witness.example/w'), KEY_TYPE_COSIGNATURE_V1);

/** A proxy in front of a log that can rewrite what it answers (a misbehaving log or mirror). */
async function proxy(
  upstream: () => string,
  rewrite: (path: string, body: Buffer) => Buffer = (_p, b) => b,
): Promise<{ url: string; server: Server }> {
  const server = createHttpServer((request, response) => {
    void (async () => {
      try {
        const answer = await fetch(`${upstream()}${request.url ?? '/'}`);
        const body = rewrite(request.url ?? '/', Buffer.from(await answer.arrayBuffer()));
        response.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'text/plain',
        });
        response.end(body);
      } catch {
        // The upstream log closed while a request the verifier no longer waits for was open.
        response.writeHead(502).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

/** Appends through the sequencer itself: the HTTP path has its own tests. */
async function addDirect(running: RunningLog, count: number, prefix: string): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      running.log.sequencer.add(Buffer.from(`${prefix} ${i}`)),
    ),
  );
}

describe('nospy log verify', () => {
  let temp: ReturnType<typeof tempDir>;
  let log: RunningLog;
  let state: string;
  const servers: Server[] = [];

  beforeEach(async () => {
    temp = tempDir('nospy-monitor-');
    state = join(temp.dir, 'monitor.json');
    log = await startLog({ dir: join(temp.dir, 'log'), key: logKey });
    await addDirect(log, 300, 'entry');
  });
  afterEach(async () => {
    await log.close();
    for (const s of servers) s.close();
    temp.remove();
  });

  const verify = (url: string, ...extra: string[]) =>
    runCli(['log', 'verify', url, '--log-vkey', logKey.vkey, '--state', state, ...extra]);

  it('verifies every tile and entry, remembers the checkpoint, and accepts a log that grew', async () => {
    const first = await verify(log.url);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('size 300');
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ size: 300 });
    await addDirect(log, 20, 'more');
    const second = await verify(log.url);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('consistent with the checkpoint of size 300');
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ size: 320 });
  });

  describe('when the log is rewritten: another tree signed with the same key', () => {
    it('exits 1 with the proof of the fork, and keeps the state it had', async () => {
      expect((await verify(log.url)).code).toBe(0);
      const before = readFileSync(state, 'utf8');
      await log.close();
      log = await startLog({ dir: join(temp.dir, 'fork'), key: logKey });
      await addDirect(log, 310, 'forged');
      const result = await verify(log.url);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /INCONSISTENT .*\n.*tree of size 310 .* does not extend its tree of size 300/,
      );
      expect(readFileSync(state, 'utf8')).toBe(before);
    });

    it('exits 2 when the log went back to a smaller size, and keeps the state', async () => {
      expect((await verify(log.url)).code).toBe(0);
      const before = readFileSync(state, 'utf8');
      await log.close();
      log = await startLog({ dir: join(temp.dir, 'small'), key: logKey });
      await add(log.url, 'only one');
      const result = await verify(log.url);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/now has size 1, smaller than the size 300 verified before/);
      expect(readFileSync(state, 'utf8')).toBe(before);
    });
  });

  it('exits 2 naming the entry when an entry served does not hash to its leaf', async () => {
    const { url, server } = await proxy(
      () => log.url,
      (path, body) => {
        if (path.startsWith('/tile/entries/000')) body[4] = (body[4] ?? 0) ^ 1;
        return body;
      },
    );
    servers.push(server);
    const result = await verify(url);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/entry 0 does not hash to its leaf in tile\/0\/000/);
    expect(existsSync(state)).toBe(false);
  });

  it('exits 2 when a witness cosignature does not verify', async () => {
    const { url, server } = await proxy(
      () => log.url,
      (path, body) => {
        if (path !== '/checkpoint') return body;
        // Append a cosignature by the witness key over a different checkpoint text.
        const note = body.toString('utf8');
        const line = cosign(parseNote(note).text.replace('300', '301'), witnessKey, 1_700_000_000);
        return Buffer.from(note + line);
      },
    );
    servers.push(server);
    const result = await verify(url, '--witness', witnessKey.vkey, '--quorum', '1');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cosignature by witness\.example\/w.* does not verify/);
    expect(existsSync(state)).toBe(false);
  });

  it('exits 2 when the witness quorum is not met', async () => {
    const result = await verify(log.url, '--witness', witnessKey.vkey);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/0 valid witness cosignature\(s\), 1 needed/);
  });

  it('exits 2 when the log is unreachable', async () => {
    const result = await verify('http://127.0.0.1:9');
    expect(result.code).toBe(2);
  });

  describe('reading the same log from its data directory and from a copy of its tiles', () => {
    /** Copies the served log's checkpoint, tiles and bundles into a directory, as a mirror does. */
    async function mirror(): Promise<string> {
      const out = join(temp.dir, 'mirror');
      const note = await (await fetch(`${log.url}/checkpoint`)).text();
      const size = Number(note.split('\n')[1]);
      const save = async (path: string) => {
        const body = Buffer.from(await (await fetch(`${log.url}/${path}`)).arrayBuffer());
        mkdirSync(dirname(join(out, path)), { recursive: true });
        writeFileSync(join(out, path), body);
      };
      await save('checkpoint');
      for (const coord of tilesForSize(size)) {
        await save(tilePath(coord.level, coord.index, coord.width));
        if (coord.level === 0) await save(entriesPath(coord.index, coord.width));
      }
      return out;
    }

    it('verifies both with the same checks', async () => {
      const copy = await mirror();
      for (const location of [log.dir, copy]) {
        const result = await verify(location, '--json');
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({ size: 300, entries: 300, tiles: 3 });
      }
    });

    it('exits 2 naming the entry changed in the data directory', async () => {
      await log.close();
      const db = new Database(join(log.dir, 'nospy.db'));
      db.prepare("UPDATE log_entries SET data = CAST('entry 299!' AS BLOB) WHERE idx = 299").run();
      db.close();
      const result = await verify(log.dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/entry 299 does not hash to its leaf in tile\/0\/001\.p\/44/);
    });

    it('exits 2 naming the tile flipped in the copy', async () => {
      const copy = await mirror();
      const file = join(copy, tilePath(0, 0));
      const bytes = readFileSync(file);
      bytes[3] = (bytes[3] ?? 0) ^ 1;
      writeFileSync(file, bytes);
      const result = await verify(copy);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /tile tile\/0\/000 does not hash to hash 0 of tile\/1\/000\.p\/1/,
      );
    });
  });

  describe('with a trust file', () => {
    it('verifies against its log key and quorum, and refuses one that names no log key', async () => {
      const party = generateNoteKey('operator.example');
      const trust = join(temp.dir, 'trust.yaml');
      const parties = `parties:\n  - { name: Operator, role: operator, keys: ["${party.vkey}"] }\n`;
      writeFileSync(trust, `${parties}log: { key: "${logKey.vkey}" }\n`);
      const ok = await runCli(['log', 'verify', log.url, '--trust', trust, '--state', state]);
      expect(ok.code).toBe(0);
      writeFileSync(trust, parties);
      const refused = await runCli(['log', 'verify', log.url, '--trust', trust, '--state', state]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/the trust file names no log key: add `log: \{ key:/);
    });
  });
});
