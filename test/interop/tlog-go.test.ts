/**
 * Interoperability with an implementation nospy did not write: golang.org/x/mod/sumdb/note and
 * sumdb/tlog (Debian golang-go + golang-golang-x-mod-dev, built offline in GOPATH mode). Go checks
 * our signed checkpoints, witness cosignatures, tiles, entry bundles and proofs; we check a key,
 * a signed checkpoint and proofs that Go produced.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint, signCheckpoint, type Checkpoint } from '../../src/tlog/checkpoint.js';
import { cosign } from '../../src/tlog/cosignature.js';
import { leafHash } from '../../src/tlog/hash.js';
import { MemoryTree } from '../../src/tlog/memory-tree.js';
import { formatCheckpoint } from '../../src/tlog/checkpoint.js';
import {
  generateNoteKey,
  KEY_TYPE_COSIGNATURE_V1,
  parsePrivateKey,
  parseVerifierKey,
} from '../../src/tlog/note-key.js';
import { verifyConsistency, verifyInclusion } from '../../src/tlog/proof.js';
import {
  encodeEntryBundle,
  entriesPath,
  tileFromHashes,
  tilePath,
  tilesAddedBetween,
  TILE_WIDTH,
} from '../../src/tlog/tiles.js';
import { consistencyProof, inclusionProof } from '../../src/tlog/tree.js';
import { dsseEntryFor, formatDsseEntry } from '../../src/statements/sigstore/rekor-dsse.js';
import { requireTools } from '../helpers/require-tools.js';
import { DEBIAN_GOPATH } from '../helpers/tools.js';

const GO_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'go', 'main.go');
const ORIGIN = 'interop.nospy.test/log';
/**
 * Checkpointed sizes: crossing the first full tile, a partial tile after it, two full tiles, and
 * past 65,536 leaves where a full level-1 tile and a level-2 tile appear.
 */
const SIZES = [1, 255, 256, 300, 512, 600, 65_537];

const goEnv = {
  ...process.env,
  GO111MODULE: 'off',
  GOPATH: DEBIAN_GOPATH,
  GOFLAGS: '',
  GOPROXY: 'off',
  GOTOOLCHAIN: 'local',
  GOCACHE: join(tmpdir(), 'nospy-go-cache'),
};

let work: string | undefined;
let binary: string;
/** Why the Go checker could not be built; every test then fails with this message. */
let setupError: Error | undefined;

function runGo(
  command: 'verify' | 'produce',
  request: unknown,
): { status: number; stdout: string; stderr: string } {
  if (setupError !== undefined) throw setupError;
  const result = spawnSync(binary, [command], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    env: goEnv,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Builds the Go checker offline; returns why it could not. */
function buildChecker(): Error | undefined {
  work = mkdtempSync(join(tmpdir(), 'nospy-interop-'));
  binary = join(work, 'tlog-interop');
  const build = spawnSync('go', ['build', '-o', binary, GO_SOURCE], {
    encoding: 'utf8',
    env: goEnv,
    cwd: work,
  });
  if (build.status !== 0) return new Error(`go build of ${GO_SOURCE} failed:\n${build.stderr}`);
  return undefined;
}

const haveGo = requireTools('go', 'golang.org/x/mod');
beforeAll(() => {
  if (haveGo) setupError = buildChecker();
}, 180_000);

it('builds the Go checker from golang.org/x/mod offline', () => {
  expect(setupError).toBeUndefined();
});

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('golang.org/x/mod checks what nospy produces', () => {
  const logKey = generateNoteKey(ORIGIN);
  const witness = generateNoteKey('witness.interop.nospy.test', KEY_TYPE_COSIGNATURE_V1);
  // Every other entry is a Rekor v2 dsse entry of the one before (as the log writes a statement
  // and its Sigstore entry side by side): tiles and proofs are over bytes, whatever the leaf.
  const sigstoreKey = generateNoteKey('signer.interop.nospy.test');
  const text = (i: number) => Buffer.from(`nospy interop entry ${i} `.repeat(1 + (i % 5)));
  const entries = Array.from({ length: SIZES.at(-1)! }, (_, i) =>
    i % 2 === 0
      ? text(i)
      : formatDsseEntry(
          dsseEntryFor(text(i - 1), Buffer.alloc(64, i % 251), sigstoreKey.publicKey),
        ),
  );
  const tree = new MemoryTree();
  const notes = new Map<number, string>();
  let dir: string;

  /** Publishes tiles and bundles at every checkpointed size, as the log does. */
  beforeAll(() => {
    if (setupError !== undefined || work === undefined) return;
    dir = join(work, 'log');
    let size = 0;
    const write = (path: string, bytes: Buffer) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    };
    for (const next of SIZES) {
      while (tree.size < next) tree.append(leafHash(entries[tree.size]!));
      for (const { level, index, width } of tilesAddedBetween(size, next)) {
        const hashes = Array.from({ length: width }, (_, i) =>
          tree.read(level * 8, index * TILE_WIDTH + i),
        );
        write(tilePath(level, index, width), tileFromHashes(hashes));
        if (level === 0) {
          write(
            entriesPath(index, width),
            encodeEntryBundle(entries.slice(index * TILE_WIDTH, index * TILE_WIDTH + width)),
          );
        }
      }
      const cp: Checkpoint = {
        origin: ORIGIN,
        size: next,
        rootHash: tree.root(next),
        extensions: [],
      };
      notes.set(
        next,
        signCheckpoint(cp, logKey) + cosign(formatCheckpoint(cp), witness, 1_700_000_000 + next),
      );
      size = next;
    }
  });

  const requestAt = (size: number) => {
    const indexes = [
      ...new Set([0, 1, size - 1, Math.floor(size / 2), 255, 256, 299, 65_535, 65_536]),
    ].filter((i) => i >= 0 && i < size);
    const olds = [...new Set([1, 2, 7, 255, 256, 257, 300, 600, 65_536, size - 1, size])].filter(
      (n) => n >= 1 && n <= size,
    );
    return {
      logVkey: logKey.vkey,
      witnessVkey: witness.vkey,
      checkpoint: notes.get(size),
      tilesDir: dir,
      inclusion: indexes.map((index) => ({
        index,
        leafHash: tree.read(0, index).toString('base64'),
        proof: inclusionProof(index, size, tree.read).map((h) => h.toString('base64')),
      })),
      consistency: olds.map((oldSize) => ({
        oldSize,
        oldRoot: tree.root(oldSize).toString('base64'),
        proof: consistencyProof(oldSize, size, tree.read).map((h) => h.toString('base64')),
      })),
    };
  };

  for (const size of SIZES) {
    it(`accepts our checkpoint, cosignature, tiles, bundles and proofs at size ${size}`, () => {
      const request = requestAt(size);
      const result = runGo('verify', request);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const answer = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(answer).toMatchObject({
        origin: ORIGIN,
        size,
        entriesChecked: size,
        inclusionChecked: request.inclusion.length,
        consistencyChecked: request.consistency.length,
      });
      expect(answer.verified).toHaveLength(2);
    });
  }

  it('rejects a tile with one flipped bit (the check is not vacuous)', () => {
    const tampered = join(dirname(dir), 'tampered');
    cpSync(dir, tampered, { recursive: true });
    const path = join(tampered, tilePath(0, 1, 44));
    const tile = readFileSync(path);
    tile[100]! ^= 0x01;
    writeFileSync(path, tile);
    const result = runGo('verify', {
      ...requestAt(300),
      tilesDir: tampered,
      inclusion: [],
      consistency: [],
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/tlog-interop:/);
  });

  it('rejects our checkpoint when the signed size is changed', () => {
    const forged = notes.get(600)!.replace('\n600\n', '\n601\n');
    const result = runGo('verify', { ...requestAt(600), checkpoint: forged });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/note.Open/);
  });

  describe('when given the entries a log acknowledged (the soak does)', () => {
    const records = (size: number) =>
      [0, 1, 255, 256, 299, size - 1]
        .filter((index) => index < size)
        .map((index) => ({ index, leafHash: tree.read(0, index).toString('base64') }));

    it('finds each leaf hash at its index in the tiles', () => {
      const result = runGo('verify', { ...requestAt(600), records: records(600) });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toMatchObject({ recordsChecked: records(600).length });
    });

    it('reports an entry whose leaf the tiles do not hold at its index', () => {
      const [first, second, ...rest] = records(600);
      const swapped = [{ ...first!, leafHash: second!.leafHash }, second!, ...rest];
      const result = runGo('verify', { ...requestAt(600), records: swapped });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/acknowledged entry 0: the tiles hold leaf/);
    });

    it('reports an entry beyond the checkpoint', () => {
      const beyond = [{ index: 600, leafHash: tree.read(0, 0).toString('base64') }];
      const result = runGo('verify', { ...requestAt(600), records: beyond });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/beyond the checkpoint of size 600/);
    });
  });
});

describe('nospy checks what golang.org/x/mod produces', () => {
  const entries = Array.from({ length: 333 }, (_, i) => Buffer.from(`go entry ${i}`));
  const indexes = [0, 1, 100, 255, 256, 332];
  const oldSizes = [1, 2, 100, 256, 257, 332, 333];
  let produced: {
    skey: string;
    vkey: string;
    checkpoint: string;
    root: string;
    inclusion: { index: number; leafHash: string; proof: string[] }[];
    consistency: { oldSize: number; oldRoot: string; proof: string[] }[];
  };
  const ours = new MemoryTree();
  for (const entry of entries) ours.append(leafHash(entry));
  const b64 = (text: string) => Buffer.from(text, 'base64');
  /** What Go produced; fails the test with the setup error when Go is missing. */
  const go = () => {
    if (setupError !== undefined) throw setupError;
    return produced;
  };

  beforeAll(() => {
    if (setupError !== undefined || work === undefined) return;
    const result = runGo('produce', {
      origin: 'go.interop.test/log',
      entries: entries.map((e) => e.toString('base64')),
      indexes,
      oldSizes,
    });
    if (result.status !== 0) throw new Error(`tlog-interop produce failed: ${result.stderr}`);
    produced = JSON.parse(result.stdout) as typeof produced;
  });

  it('accepts a key written by note.GenerateKey as is', () => {
    const signer = parsePrivateKey(go().skey);
    expect(signer.vkey).toBe(go().vkey);
  });

  it("opens Go's signed checkpoint with its verifier key and finds our root", () => {
    const { checkpoint } = openCheckpoint(go().checkpoint, parseVerifierKey(go().vkey));
    expect(checkpoint.size).toBe(333);
    expect(checkpoint.rootHash.equals(ours.root())).toBe(true);
    expect(go().root).toBe(ours.root().toString('base64'));
  });

  it('verifies Go inclusion proofs and produces the same ones', () => {
    expect(go().inclusion).toHaveLength(indexes.length);
    for (const p of go().inclusion) {
      verifyInclusion(b64(p.leafHash), p.index, 333, p.proof.map(b64), ours.root());
      expect(inclusionProof(p.index, 333, ours.read).map((h) => h.toString('base64'))).toEqual(
        p.proof,
      );
    }
  });

  it('verifies Go consistency proofs and produces the same ones', () => {
    expect(go().consistency).toHaveLength(oldSizes.length);
    for (const p of go().consistency) {
      verifyConsistency(p.oldSize, 333, p.proof.map(b64), b64(p.oldRoot), ours.root());
      expect(consistencyProof(p.oldSize, 333, ours.read).map((h) => h.toString('base64'))).toEqual(
        p.proof,
      );
    }
  });

  it("signs the same checkpoint text with Go's key to the same note (Ed25519 is deterministic)", () => {
    const signer = parsePrivateKey(go().skey);
    const { checkpoint } = openCheckpoint(go().checkpoint, signer);
    expect(signCheckpoint(checkpoint, signer)).toBe(go().checkpoint);
  });
});
