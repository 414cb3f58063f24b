/**
 * Several replicas, one sequencer, on real processes: three `nospy serve --store postgres://…`
 * on one throw-away database, 32 writers spread over them, and the replica that sequences killed
 * with SIGKILL three times (each restarted). Afterwards every acknowledged entry is at its index,
 * no entry was acknowledged at two indexes, and Go's golang.org/x/mod/sumdb/tlog checks the final
 * tiles, the acknowledged leaves and a consistency proof from every checkpoint any replica served.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { openCheckpoint, type Checkpoint } from '../../src/tlog/checkpoint.js';
import { leafHash } from '../../src/tlog/hash.js';
import { decodeEntryBundle, entriesPath, tilesForSize } from '../../src/tlog/tiles.js';
import { verifyWithGo } from '../../bench/soak/interop.js';
import { tempDir, TOKEN } from '../log/helpers.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'nospy.js');
const REPLICAS = 3;
const WRITERS = 32;
const KILLS = 3;
/** Acknowledgements between two kills (a count, not a duration: the test never times anything). */
const ACKS_BETWEEN_KILLS = 100;

interface Replica {
  child: ChildProcess;
  url: string;
}

interface Ack {
  readonly index: number;
  readonly entry: Buffer;
}

function startReplica(storeUrl: string, keyFile: string): Promise<Replica> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--store', storeUrl, '--log-key', keyFile, '--port', '0', '--log-level', 'warn'],
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
    child.on('exit', (code, signal) => {
      reject(new Error(`replica exited (${code ?? signal ?? '?'}): ${err}`));
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

async function readyz(url: string): Promise<{ status: string; sequencing: boolean } | undefined> {
  try {
    const response = await fetch(`${url}/readyz`);
    return (await response.json()) as { status: string; sequencing: boolean };
  } catch {
    return undefined;
  }
}

async function getBytes(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('three replicas of a log on PostgreSQL when the sequencer is killed with SIGKILL', () => {
  const haveTools = requireTools('postgresql', 'go', 'golang.org/x/mod');
  const temp = tempDir('nospy-failover-');
  const key = generateNoteKey('failover.example/log');
  const keyFile = join(temp.dir, 'log.key');
  const replicas: Replica[] = [];
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    if (!haveTools) return;
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
      throw new Error('build first: npm run build (npm test does it before the tests)');
    }
    writeFileSync(keyFile, `${key.skey}\n`, { mode: 0o600 });
    database = await createTestDatabase();
    // One after the other: the first signs the empty checkpoint and sequences.
    for (let i = 0; i < REPLICAS; i += 1) replicas.push(await startReplica(database.url, keyFile));
  }, 60_000);
  afterAll(async () => {
    for (const replica of replicas) replica.child.kill('SIGKILL');
    await database?.drop();
    temp.remove();
  });

  it(
    'loses no acknowledged entry, acknowledges none twice, and every served checkpoint is a prefix of the last',
    { timeout: 120_000 },
    async () => {
      const acks: Ack[] = [];
      const seen = new Map<number, Checkpoint>();
      const takeovers: number[] = [];
      let stopping = false;
      // Read through a function: the writers' loops must see the killer's change.
      const running = () => !stopping;
      let counter = 0;
      const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });

      const writer = async (w: number) => {
        let slot = w % REPLICAS;
        while (running()) {
          counter += 1;
          const entry = Buffer.from(`writer ${w} entry ${counter} ${'x'.repeat(counter % 97)}`);
          // The same entry until it is acknowledged, moving to the next replica on a failure:
          // a resubmission is de-duplicated, so it can be acknowledged at one index only.
          for (let tries = 0; running(); tries += 1) {
            const replica = replicas[slot] as Replica;
            try {
              const answer = await post(agent, replica.url, entry);
              if (answer.status === 200) {
                const { index } = JSON.parse(answer.text) as { index: number };
                acks.push({ index, entry });
                break;
              }
            } catch {
              // The replica was killed mid-request: not acknowledged.
            }
            slot = (slot + 1) % REPLICAS;
            await sleep(20);
          }
        }
      };
      const watcher = async () => {
        while (running()) {
          for (const replica of replicas) {
            try {
              const note = (await getBytes(`${replica.url}/checkpoint`)).toString('utf8');
              const { checkpoint } = openCheckpoint(note, key);
              const before = seen.get(checkpoint.size);
              if (before !== undefined) {
                // Two checkpoints of one size from any replicas: one tree.
                expect(before.rootHash.equals(checkpoint.rootHash)).toBe(true);
              } else seen.set(checkpoint.size, checkpoint);
            } catch {
              // Killed mid-request.
            }
          }
          await sleep(25);
        }
      };
      const restarts: Promise<void>[] = [];
      const killer = async () => {
        for (let kill = 0; kill < KILLS; kill += 1) {
          const goal = acks.length + ACKS_BETWEEN_KILLS;
          while (acks.length < goal) await sleep(20);
          let victim = -1;
          while (victim === -1) {
            const states = await Promise.all(replicas.map((r) => readyz(r.url)));
            victim = states.findIndex((state) => state?.sequencing === true);
            if (victim === -1) await sleep(50);
          }
          const killed = replicas[victim] as Replica;
          const exited = new Promise((resolve) => killed.child.once('exit', resolve));
          killed.child.kill('SIGKILL');
          await exited;
          const at = performance.now();
          // Another replica takes the lock and sequences; then the killed one comes back.
          for (;;) {
            const states = await Promise.all(
              replicas.filter((r) => r !== killed).map((r) => readyz(r.url)),
            );
            if (states.some((state) => state?.sequencing === true)) break;
            await sleep(50);
          }
          takeovers.push(performance.now() - at);
          // Restarted in the background: the writers meanwhile use the two others.
          restarts.push(
            startReplica(database?.url ?? '', keyFile).then((replica) => {
              replicas[victim] = replica;
            }),
          );
        }
        await Promise.all(restarts);
        const goal = acks.length + ACKS_BETWEEN_KILLS;
        while (acks.length < goal) await sleep(20);
        stopping = true;
      };
      await Promise.all([
        ...Array.from({ length: WRITERS }, (_, w) => writer(w)),
        watcher(),
        killer(),
      ]);
      agent.destroy();
      console.log(
        `failover: ${acks.length} acknowledged, ${seen.size} checkpoints seen, takeovers in ${takeovers
          .map((ms) => `${Math.round(ms)} ms`)
          .join(', ')}`,
      );

      // Each replica serves a checkpoint covering every acknowledged entry.
      const last = replicas[0] as Replica;
      const largest = Math.max(...seen.keys());
      let note: string;
      let checkpoint: Checkpoint;
      do {
        note = (await getBytes(`${last.url}/checkpoint`)).toString('utf8');
        ({ checkpoint } = openCheckpoint(note, key));
        if (checkpoint.size < largest) await sleep(50);
      } while (checkpoint.size < largest);
      expect(checkpoint.size).toBeGreaterThan(Math.max(...acks.map((a) => a.index)));

      // Every acknowledged entry is at its index, byte for byte; no entry at two indexes.
      const bundles = new Map<number, Buffer[]>();
      for (const coord of tilesForSize(checkpoint.size).filter((c) => c.level === 0)) {
        const bundle = await getBytes(`${last.url}/${entriesPath(coord.index, coord.width)}`);
        bundles.set(coord.index, decodeEntryBundle(bundle, coord.width));
      }
      const indexOf = new Map<string, number>();
      for (const ack of acks) {
        const stored = bundles.get(Math.floor(ack.index / 256))?.[ack.index % 256];
        expect(stored?.equals(ack.entry), `entry ${ack.index}`).toBe(true);
        const key = ack.entry.toString('latin1');
        expect(indexOf.get(key) ?? ack.index, `${ack.entry.toString()} twice`).toBe(ack.index);
        indexOf.set(key, ack.index);
      }
      const everyEntry = [...bundles.values()].flat().map((entry) => entry.toString('latin1'));
      expect(new Set(everyEntry).size).toBe(everyEntry.length);

      // Go checks the final tiles and bundles, the acknowledged leaves, and a consistency proof
      // from every checkpoint any replica served.
      const result = await verifyWithGo({
        url: last.url,
        logVkey: key.vkey,
        checkpoint: note,
        size: checkpoint.size,
        earlier: undefined,
        seen: [...seen.values()].map((cp) => ({ size: cp.size, rootHash: cp.rootHash })),
        acknowledged: new Map(acks.map((ack) => [ack.index, leafHash(ack.entry).toString('hex')])),
      });
      expect(result, result.kind === 'verified' ? '' : result.reason).toMatchObject({
        kind: 'verified',
      });
      console.log(result.kind === 'verified' ? result.summary : '');
    },
  );
});
