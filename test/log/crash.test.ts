import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { openCheckpoint, type Checkpoint } from '../../src/tlog/checkpoint.js';
import {
  decodeEntryBundle,
  entriesPath,
  tileHashReader,
  tilesForSize,
} from '../../src/tlog/tiles.js';
import { treeRoot } from '../../src/tlog/tree.js';
import { urlLogSource } from '../../src/log/verify/url-log-source.js';
import { tileKey, verifyLog } from '../../src/log/verify/verify-log.js';
import { tempDir, TOKEN } from './helpers.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTestDatabase } from '../helpers/postgres.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'nospy.js');
const WRITERS = 32;
const KILLS = 3;
/** Acknowledgements to wait for before each SIGKILL (bounded: the test never runs unbounded). */
const ACKS_BEFORE_KILL = 150;

interface Ack {
  readonly index: number;
  readonly entry: Buffer;
}

/** `store`: the flags naming where the log is stored (`--data <dir>` or `--store <url>`). */
function startServer(
  store: readonly string[],
  keyFile: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', ...store, '--log-key', keyFile, '--port', '0', '--log-level', 'warn'],
    { env: { ...process.env, NOSPY_SUBMIT_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^(http:\/\/\S+)\n/m.exec(out)?.[1];
      if (url !== undefined) resolve({ child, url });
    });
    child.on('exit', (code) => {
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

function post(agent: Agent, url: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL('/add', url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-length': body.length },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function getBytes(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

describe('when the log server is killed with SIGKILL while writers are adding', () => {
  describe('on the embedded SQLite store', () => {
    describeCrashes((dir) => Promise.resolve({ flags: ['--data', join(dir, 'data')] }));
  });

  describe('on PostgreSQL', () => {
    const havePostgres = requireTools('postgresql');
    describeCrashes(async () => {
      // Without PostgreSQL the test is skipped (or, in CI, failed) before it starts a server.
      if (!havePostgres) return { flags: [] };
      const database = await createTestDatabase();
      return { flags: ['--store', database.url], remove: () => database.drop() };
    });
  });
});

interface CrashStore {
  readonly flags: readonly string[];
  readonly remove?: () => Promise<void>;
}

function describeCrashes(createStore: (dir: string) => Promise<CrashStore>): void {
  const temp = tempDir('nospy-crash-');
  const key = generateNoteKey('crash.example/log');
  const keyFile = join(temp.dir, 'log.key');
  const acks: Ack[] = [];
  const checkpoints: Checkpoint[] = [];
  let child: ChildProcess | undefined;
  let store: CrashStore;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
      throw new Error('build first: npm run build (npm test does it before the tests)');
    }
    writeFileSync(keyFile, `${key.skey}\n`, { mode: 0o600 });
    store = await createStore(temp.dir);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await store.remove?.();
    temp.remove();
  });

  it(
    'loses no acknowledged entry and every new checkpoint extends every earlier one',
    { timeout: 120_000 },
    async () => {
      let counter = 0;
      for (let round = 0; round < KILLS; round += 1) {
        const started = await startServer(store.flags, keyFile);
        child = started.child;
        const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });
        let acked = 0;
        let killed = false;
        const exited = new Promise<void>((resolve) =>
          started.child.on('exit', () => {
            resolve();
          }),
        );
        const kill = () => {
          if (!killed) {
            killed = true;
            started.child.kill('SIGKILL');
          }
        };
        const writer = async () => {
          while (!killed) {
            counter += 1;
            const entry = Buffer.from(
              `round ${round} entry ${counter} ${'x'.repeat(counter % 200)}`,
            );
            try {
              const answer = await post(agent, started.url, entry);
              if (answer.status !== 200) {
                // 503 while the restarted server audits its store: not acknowledged, try again.
                await new Promise((resolve) => setTimeout(resolve, 10));
                continue;
              }
              const { index } = JSON.parse(answer.text) as { index: number };
              acks.push({ index, entry });
              acked += 1;
              if (acked >= ACKS_BEFORE_KILL) kill();
            } catch {
              // The connection died with the server: this entry was never acknowledged.
            }
          }
        };
        const watcher = async () => {
          while (!killed) {
            try {
              const note = (await getBytes(`${started.url}/checkpoint`)).toString('utf8');
              checkpoints.push(openCheckpoint(note, key).checkpoint);
            } catch {
              // Killed mid-request.
            }
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        };
        await Promise.all([...Array.from({ length: WRITERS }, writer), watcher()]);
        await exited;
        agent.destroy();
      }

      // Restart once more and audit the result.
      const { child: last, url } = await startServer(store.flags, keyFile);
      child = last;
      const note = (await getBytes(`${url}/checkpoint`)).toString('utf8');
      const { checkpoint } = openCheckpoint(note, key);
      expect(acks.length).toBeGreaterThanOrEqual(KILLS * ACKS_BEFORE_KILL);
      expect(checkpoint.size).toBeGreaterThan(Math.max(...acks.map((a) => a.index)));

      // The whole log verifies: every entry, tile and the signed root.
      const verified = await verifyLog(
        urlLogSource(url),
        { logKey: key, witnesses: [], quorum: 0 },
        { checkpoint: note, keepTiles: true },
      );
      const tiles = verified.tiles;

      // Every acknowledged entry is at its acknowledged index, byte for byte.
      const bundles = new Map<number, Buffer[]>();
      for (const coord of tilesForSize(checkpoint.size).filter((c) => c.level === 0)) {
        const bundle = await getBytes(`${url}/${entriesPath(coord.index, coord.width)}`);
        bundles.set(coord.index, decodeEntryBundle(bundle, coord.width));
      }
      for (const ack of acks) {
        const stored = bundles.get(Math.floor(ack.index / 256))?.[ack.index % 256];
        expect(stored?.equals(ack.entry), `entry ${ack.index}`).toBe(true);
      }

      // The final tree contains every tree any earlier checkpoint described.
      const read = tileHashReader(checkpoint.size, (level, index) => {
        const tile = tiles.get(tileKey(level, index));
        if (tile === undefined) throw new Error(`tile ${level}/${index} missing`);
        return tile;
      });
      expect(checkpoints.length).toBeGreaterThan(0);
      for (const earlier of checkpoints) {
        expect(earlier.size).toBeLessThanOrEqual(checkpoint.size);
        const root = earlier.size === 0 ? earlier.rootHash : treeRoot(earlier.size, read);
        expect(root.equals(earlier.rootHash), `checkpoint of size ${earlier.size}`).toBe(true);
      }
    },
  );
}
