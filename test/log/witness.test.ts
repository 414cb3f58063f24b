import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openCheckpoint } from '../../src/tlog/checkpoint.js';
import { EMPTY_ROOT, leafHash } from '../../src/tlog/hash.js';
import {
  generateNoteKey,
  KEY_TYPE_COSIGNATURE_V1,
  withKeyType,
  type NoteSigner,
} from '../../src/tlog/note-key.js';
import { signCheckpoint } from '../../src/tlog/checkpoint.js';
import { formatAddCheckpointRequest, MAX_ADD_CHECKPOINT_BYTES } from '../../src/tlog/witness.js';
import { MemoryTree } from '../../src/tlog/memory-tree.js';
import { consistencyProof } from '../../src/tlog/tree.js';
import { SqliteWitnessStore } from '../../src/store/sqlite/sqlite-witness-store.js';
import { createWitnessServer } from '../../src/log/witness-server.js';
import type { LogServer } from '../../src/server/server.js';
import { add, checkpointOf, startLog, tempDir, type RunningLog } from './helpers.js';

const ORIGIN = 'log.example/test';

interface RunningWitness {
  url: string;
  signer: NoteSigner;
  app: LogServer;
  store: SqliteWitnessStore;
  dir: string;
}

async function startWitness(
  dir: string,
  logKey: NoteSigner,
  seed?: NoteSigner,
): Promise<RunningWitness> {
  const signer = withKeyType(seed ?? generateNoteKey('witness.example/w'), KEY_TYPE_COSIGNATURE_V1);
  const store = new SqliteWitnessStore(dir);
  const app = await createWitnessServer({
    signer,
    logs: [logKey],
    store,
    logger: pino({ level: 'silent' }),
    onClose: () => store.close(),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, signer, app, store, dir };
}

async function post(url: string, body: string): Promise<Response> {
  return fetch(`${url}/add-checkpoint`, { method: 'POST', body });
}

describe('the witness (c2sp.org/tlog-witness add-checkpoint)', () => {
  let temp: ReturnType<typeof tempDir>;
  let logKey: NoteSigner;
  let witness: RunningWitness;
  const entries = Array.from({ length: 10 }, (_, i) => Buffer.from(`entry ${i}`));
  const tree = () => {
    const memory = new MemoryTree();
    for (const entry of entries) memory.append(leafHash(entry));
    return {
      root: (size: number) => memory.root(size),
      consistency: (oldSize: number, size: number) => consistencyProof(oldSize, size, memory.read),
    };
  };
  const signed = (size: number, key = logKey) =>
    signCheckpoint({ origin: ORIGIN, size, rootHash: tree().root(size), extensions: [] }, key);
  const request = (
    oldSize: number,
    size: number,
    proof = tree().consistency(oldSize, size),
    key = logKey,
  ) => formatAddCheckpointRequest({ oldSize, proof, checkpoint: signed(size, key) });

  beforeEach(async () => {
    temp = tempDir('nospy-witness-');
    logKey = generateNoteKey(ORIGIN);
    witness = await startWitness(temp.dir, logKey);
  });
  afterEach(async () => {
    await witness.app.close();
    temp.remove();
  });

  async function stateSize(): Promise<number | undefined> {
    return (await witness.store.latest(ORIGIN))?.size;
  }

  it('cosigns a first checkpoint (old 0) with a cosignature that verifies, and remembers it', async () => {
    const response = await post(witness.url, request(0, 4));
    expect(response.status).toBe(200);
    const lines = await response.text();
    const opened = openCheckpoint(signed(4) + lines, logKey, {
      witnesses: [witness.signer],
      quorum: 1,
    });
    expect(opened.cosignatures).toHaveLength(1);
    expect(await stateSize()).toBe(4);
  });

  describe('after it cosigned size 4', () => {
    beforeEach(async () => {
      expect((await post(witness.url, request(0, 4))).status).toBe(200);
    });

    it('cosigns a consistent larger checkpoint given the proof from 4', async () => {
      expect((await post(witness.url, request(4, 10))).status).toBe(200);
      expect(await stateSize()).toBe(10);
    });

    it('answers 409 with its size when the old size is not its latest', async () => {
      const response = await post(witness.url, request(0, 10));
      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toMatch(/^text\/x\.tlog\.size/);
      expect(await response.text()).toBe('4\n');
      expect(await stateSize()).toBe(4);
    });

    it('answers 400 when the old size is larger than the checkpoint', async () => {
      expect((await post(witness.url, request(4, 3, []))).status).toBe(400);
      expect(await stateSize()).toBe(4);
    });

    it('answers 400 to a malformed body', async () => {
      expect((await post(witness.url, 'old four\n\nnonsense\n')).status).toBe(400);
      expect(await stateSize()).toBe(4);
    });

    it('answers 403 when the checkpoint is not signed by the trusted log key', async () => {
      const impostor = generateNoteKey(ORIGIN);
      expect(
        (await post(witness.url, request(4, 10, tree().consistency(4, 10), impostor))).status,
      ).toBe(403);
      expect(await stateSize()).toBe(4);
    });

    it('answers 404 for a log it does not follow', async () => {
      const other = generateNoteKey('other.example/log');
      const body = formatAddCheckpointRequest({
        oldSize: 0,
        proof: [],
        checkpoint: signCheckpoint(
          { origin: 'other.example/log', size: 0, rootHash: EMPTY_ROOT, extensions: [] },
          other,
        ),
      });
      expect((await post(witness.url, body)).status).toBe(404);
      expect(await stateSize()).toBe(4);
    });

    it('answers 413 TLOG_WITNESS_REQUEST_TOO_LARGE naming its own limit to a body over it', async () => {
      const response = await post(witness.url, 'x'.repeat(MAX_ADD_CHECKPOINT_BYTES + 1));
      expect(response.status).toBe(413);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('TLOG_WITNESS_REQUEST_TOO_LARGE');
      // The witness's limit, not the log's entry limit (65,535 bytes).
      expect(error.message).toContain(String(MAX_ADD_CHECKPOINT_BYTES));
      expect(error.message).not.toContain('65535');
      expect(await stateSize()).toBe(4);
    });

    it('answers 422 when the consistency proof does not hold', async () => {
      const proof = tree().consistency(4, 10);
      proof[0] = Buffer.alloc(32, 9);
      expect((await post(witness.url, request(4, 10, proof))).status).toBe(422);
      expect(await stateSize()).toBe(4);
    });

    it('keeps its state across a restart (persisted before replying)', async () => {
      await witness.app.close();
      witness = await startWitness(temp.dir, logKey, undefined);
      const response = await post(witness.url, request(0, 10));
      expect(response.status).toBe(409);
      expect(await response.text()).toBe('4\n');
    });
  });
});

describe('a log configured with witnesses and a quorum', () => {
  let temp: ReturnType<typeof tempDir>;
  let witnesses: RunningWitness[];
  let server: RunningLog | undefined;
  const logKey = generateNoteKey(ORIGIN);

  beforeEach(async () => {
    temp = tempDir('nospy-quorum-');
    witnesses = [
      await startWitness(`${temp.dir}/w1`, logKey),
      await startWitness(`${temp.dir}/w2`, logKey),
    ];
  });
  afterEach(async () => {
    await server?.close();
    for (const w of witnesses) await w.app.close();
    temp.remove();
  });

  const open = (quorum: number, extra: { url: string; signer: NoteSigner }[] = []) =>
    startLog({
      dir: `${temp.dir}/log`,
      key: logKey,
      witnesses: [...witnesses, ...extra].map((w) => ({ verifier: w.signer, url: w.url })),
      witnessQuorum: quorum,
    });

  it('acknowledges entries only under a checkpoint cosigned by the quorum, and serves it', async () => {
    server = await open(2);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => add(server!.url, `e${i}`)),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const note = await checkpointOf(server.url);
    const opened = openCheckpoint(note, logKey, {
      witnesses: witnesses.map((w) => w.signer),
      quorum: 2,
    });
    expect(opened.checkpoint.size).toBe(20);
  });

  it('catches a witness up through its 409 answer after the log restarts', async () => {
    server = await open(2);
    expect((await add(server.url, 'before')).status).toBe(200);
    await server.close();
    server = await open(2);
    expect((await add(server.url, 'after')).status).toBe(200);
    const opened = openCheckpoint(await checkpointOf(server.url), logKey, {
      witnesses: witnesses.map((w) => w.signer),
      quorum: 2,
    });
    expect(opened.checkpoint.size).toBe(2);
    expect((await witnesses[0]!.store.latest(ORIGIN))?.size).toBe(2);
  });

  it('reaches a quorum of 2 out of 3 when one witness is down', async () => {
    const down = {
      url: 'http://127.0.0.1:9',
      signer: withKeyType(generateNoteKey('down.example/w'), KEY_TYPE_COSIGNATURE_V1),
    };
    server = await open(2, [down]);
    const answer = await add(server.url, 'x');
    expect(answer.status, await answer.clone().text()).toBe(200);
    const opened = openCheckpoint(await checkpointOf(server.url), logKey, {
      witnesses: [...witnesses.map((w) => w.signer), down.signer],
      quorum: 2,
    });
    expect(opened.cosignatures).toHaveLength(2);
  });
});
