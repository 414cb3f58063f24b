/**
 * The soak's last check, by an implementation nospy did not write: the Go program of
 * test/interop (golang.org/x/mod/sumdb/tlog and note) is given a copy of the log as served over
 * HTTP — every tile and entry bundle of the final checkpoint — and checks the checkpoint's
 * signature, that the tiles give its root, that every entry hashes to its leaf, that the server's
 * inclusion proofs and a consistency proof from the first checkpoint hold, and that each
 * acknowledged entry's leaf hash is at its acknowledged index.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTlogProof } from '../../src/tlog/proof-bundle.js';
import { entriesPath, tileHashReader, tilePath, tilesForSize } from '../../src/tlog/tiles.js';
import { consistencyProof } from '../../src/tlog/tree.js';
import { DEBIAN_GOPATH, describeMissing, locateTool, TOOLS } from '../../test/helpers/tools.js';

const GO_SOURCE = fileURLToPath(new URL('../../test/interop/go/main.go', import.meta.url));
/** Inclusion proofs fetched from the server and checked by Go (every record is checked anyway). */
const SAMPLED_PROOFS = 200;

export interface InteropInput {
  readonly url: string;
  readonly logVkey: string;
  /** The final signed checkpoint and its size. */
  readonly checkpoint: string;
  readonly size: number;
  /** A checkpoint seen early in the run (size and root), for a consistency proof. */
  readonly earlier: { readonly size: number; readonly rootHash: Buffer } | undefined;
  /** More checkpoints seen (size and root): Go checks a consistency proof from each too. */
  readonly seen?: readonly { readonly size: number; readonly rootHash: Buffer }[] | undefined;
  /** Every acknowledged index → its leaf hash (hex), as the server answered it. */
  readonly acknowledged: ReadonlyMap<number, string>;
}

export type InteropResult =
  | { readonly kind: 'verified'; readonly summary: string }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'skipped'; readonly reason: string };

/** Mirrors the log into a directory and has the Go checker verify it. */
export async function verifyWithGo(input: InteropInput): Promise<InteropResult> {
  const missing = (['go', 'golang.org/x/mod'] as const)
    .filter((tool) => locateTool(tool, process.env.PATH ?? '') === undefined)
    .map((tool) => ({ tool, debianPackage: TOOLS[tool].debianPackage }));
  if (missing.length > 0) return { kind: 'skipped', reason: describeMissing(missing) };
  const work = mkdtempSync(join(tmpdir(), 'nospy-soak-interop-'));
  try {
    const env = {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH: DEBIAN_GOPATH,
      GOFLAGS: '',
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
      GOCACHE: join(tmpdir(), 'nospy-go-cache'),
    };
    const binary = join(work, 'tlog-interop');
    const build = spawnSync('go', ['build', '-o', binary, GO_SOURCE], {
      encoding: 'utf8',
      env,
      cwd: work,
    });
    if (build.status !== 0) return { kind: 'failed', reason: `go build: ${build.stderr}` };

    const dir = join(work, 'log');
    const tiles = new Map<string, Buffer>();
    for (const { level, index, width } of tilesForSize(input.size)) {
      const path = tilePath(level, index, width);
      const tile = await fetchBytes(`${input.url}/${path}`);
      tiles.set(`${String(level)}/${String(index)}`, tile);
      write(dir, path, tile);
      if (level === 0) {
        const bundle = entriesPath(index, width);
        write(dir, bundle, await fetchBytes(`${input.url}/${bundle}`));
      }
    }
    const indexes = [...input.acknowledged.keys()].sort((a, b) => a - b);
    const step = Math.max(1, Math.floor(indexes.length / SAMPLED_PROOFS));
    const sampled = indexes.filter((_, i) => i % step === 0 || i === indexes.length - 1);
    const inclusion = [];
    for (const index of sampled) {
      const bundle = parseTlogProof(await fetchText(`${input.url}/proof/${String(index)}`));
      inclusion.push({
        index,
        leafHash: hexToBase64(input.acknowledged.get(index) ?? ''),
        proof: bundle.proof.map((hash) => hash.toString('base64')),
      });
    }
    const read = tileHashReader(input.size, (level, index) => {
      const tile = tiles.get(`${String(level)}/${String(index)}`);
      if (tile === undefined) throw new Error(`tile ${String(level)}/${String(index)} not fetched`);
      return tile;
    });
    const earlier = input.earlier;
    const consistency = [...(earlier === undefined ? [] : [earlier]), ...(input.seen ?? [])]
      .filter((old) => old.size > 0)
      .map((old) => ({
        oldSize: old.size,
        oldRoot: old.rootHash.toString('base64'),
        proof: consistencyProof(old.size, input.size, read).map((h) => h.toString('base64')),
      }));
    const request = {
      logVkey: input.logVkey,
      witnessVkey: '',
      checkpoint: input.checkpoint,
      tilesDir: dir,
      inclusion,
      consistency,
      records: indexes.map((index) => ({
        index,
        leafHash: hexToBase64(input.acknowledged.get(index) ?? ''),
      })),
    };
    const run = spawnSync(binary, ['verify'], {
      input: JSON.stringify(request),
      encoding: 'utf8',
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (run.status !== 0) return { kind: 'failed', reason: run.stderr.trim() };
    const answer = JSON.parse(run.stdout) as {
      size: number;
      entriesChecked: number;
      inclusionChecked: number;
      consistencyChecked: number;
      recordsChecked: number;
    };
    return {
      kind: 'verified',
      summary:
        `golang.org/x/mod/sumdb verified the checkpoint of size ${String(answer.size)}, ` +
        `${String(answer.entriesChecked)} entries against their tiles, ` +
        `${String(answer.inclusionChecked)} inclusion proofs of the server, ` +
        `${String(answer.consistencyChecked)} consistency proofs (from size ${String(earlier?.size ?? input.seen?.[0]?.size ?? 0)} on), ` +
        `and ${String(answer.recordsChecked)} acknowledged entries at their indexes`,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function write(dir: string, path: string, bytes: Buffer): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), bytes);
}

async function fetchBytes(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${String(response.status)}`);
  return Buffer.from(await response.arrayBuffer());
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${String(response.status)}`);
  return response.text();
}

function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}
