/**
 * The native squashfs reader beside Debian's `unsquashfs`, on the same images in the same run:
 * a compressible synthetic tree packed by mksquashfs with gzip, xz and zstd; nospy unpacks each
 * image and reads every file's bytes (in memory), `unsquashfs -no-progress` extracts it into
 * tmpfs (/dev/shm where there is one, so that neither side touches a disk) with as many decode
 * threads as nospy has (`-processors`, which is also its default: one per core). Each round
 * measures both, one after the other; a first round that starts the decode threads is not
 * counted. Printed: the median of the per-round ratios (with every round's ratio, since the
 * machine is shared), the median rates in MB of file content per second, the median CPU seconds
 * (nospy's process, all threads; unsquashfs from the children's times in /proc/self/stat) and
 * the load average. Goal: the native reader at least as fast, since it writes nothing.
 */
import { execFileSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LIMITS, UnpackBudget } from '../../src/firmware/limits.js';
import { sharedDecodePool } from '../../src/firmware/codecs/decode-pool.js';
import { LZMA_DECODER, lzmaAvailable } from '../../src/firmware/codecs/lzma.js';
import { ZSTD_DECODER } from '../../src/firmware/codecs/zstd.js';
import { unpackBytes } from '../../src/firmware/unpack/unpack.js';

const MB = Number(process.env.NOSPY_BENCH_SQUASHFS_MB ?? '48');
const ROUNDS = Number(process.env.NOSPY_BENCH_SQUASHFS_ROUNDS ?? '5');
const COMPRESSORS = ['gzip', 'xz', 'zstd'] as const;

/** Text-like bytes (a small alphabet from a keystream): compresses about 2:1, as binaries do. */
function compressible(length: number, seed: number): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(seed, 0);
  const random = createCipheriv('aes-128-ctr', Buffer.alloc(16, 3), iv).update(
    Buffer.alloc(length),
  );
  const alphabet = Buffer.from('etaoinshrdlu \n\0\0\0\x01\x02ETAOIN0123456789=/._-', 'latin1');
  for (let i = 0; i < length; i += 1)
    random[i] = alphabet[(random[i] as number) % alphabet.length] as number;
  return random;
}

function buildTree(root: string): number {
  const files = 400;
  const perFile = Math.floor((MB * 1024 * 1024) / files);
  let bytes = 0;
  for (let i = 0; i < files; i += 1) {
    const dir = join(root, `d${i % 16}`);
    mkdirSync(dir, { recursive: true });
    // Every tenth file is small, so fragments are read too.
    const data = compressible(i % 10 === 0 ? 3000 + i : perFile, i);
    writeFileSync(join(dir, `f${i}`), data);
    bytes += data.length;
  }
  return bytes;
}

const mbps = (bytes: number, ms: number): number => bytes / 1024 / 1024 / (ms / 1000);

/** CPU seconds of this process's waited-for children (fields 16 and 17 of /proc/self/stat). */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'latin1').split(') ')[1]?.split(' ') ?? [];
  // After the ")" the fields start at number 3 (state); cutime is 16, cstime 17.
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
}

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

const load = (): string => loadavg()[0]?.toFixed(1) ?? '?';

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** One round of the native reader: unpack, read every file; wall ms and CPU seconds. */
function readNative(image: Buffer, bytes: number): { ms: number; cpu: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const budget = new UnpackBudget(DEFAULT_LIMITS);
  const { tree } = unpackBytes(image, budget, 'bench');
  let read = 0;
  for (const entry of tree.entries())
    if (entry.type === 'file') read += tree.read(entry.path)?.length ?? 0;
  const ms = performance.now() - start;
  if (read !== bytes || budget.warnings.length > 0)
    throw new Error(
      `native reader read ${read} of ${bytes} bytes: ${JSON.stringify(budget.warnings)}`,
    );
  return { ms, cpu: cpuSeconds(cpu) };
}

/** One round of `unsquashfs` extracting into `dest` (removed after); wall ms and CPU seconds. */
function extractTool(image: string, dest: string, processors: number): { ms: number; cpu: number } {
  const childCpu = childrenCpuSeconds();
  const start = performance.now();
  execFileSync(
    'unsquashfs',
    ['-no-progress', '-quiet', '-processors', String(processors), '-d', dest, image],
    { stdio: 'ignore' },
  );
  const ms = performance.now() - start;
  const cpu = childrenCpuSeconds() - childCpu;
  rmSync(dest, { recursive: true, force: true });
  return { ms, cpu };
}

/** Runs the comparison in `work` and prints one line per compressor. */
export async function benchSquashfs(work: string): Promise<void> {
  const root = join(work, 'sqroot');
  mkdirSync(root);
  const bytes = buildTree(root);
  const out = process.stdout;
  const pool = sharedDecodePool();
  const threads = pool?.threads ?? 0;
  // The decode threads start on their own; the rounds measure reading, not starting them.
  for (let waited = 0; pool !== undefined && pool.ready < threads && waited < 30_000; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const processors = Math.max(1, threads);
  lzmaAvailable(); // loads the xz binding, so that its name can be printed
  const shm = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/nospy-bench-sq-') : work;
  out.write(
    `squashfs images of a ${(bytes / 1024 / 1024).toFixed(0)} MiB compressible tree (400 files), median of ${ROUNDS} rounds; Node ${process.version}; zstd decoder: ${ZSTD_DECODER}; xz decoder: ${LZMA_DECODER}; cores ${availableParallelism()}; nospy decode threads ${threads} (+ the reading thread); unsquashfs -processors ${processors} extracting into ${shm === work ? work : '/dev/shm'}\n`,
  );
  try {
    for (const compressor of COMPRESSORS) {
      const image = join(work, `bench.${compressor}.sqfs`);
      execFileSync(
        'mksquashfs',
        [root, image, '-noappend', '-no-progress', '-quiet', '-comp', compressor],
        { stdio: 'ignore' },
      );
      const buf = readFileSync(image);
      const dest = join(shm, `extract.${compressor}`);
      const loadBefore = load();
      readNative(buf, bytes); // warm-up: not counted
      const native: { ms: number; cpu: number }[] = [];
      const tool: { ms: number; cpu: number }[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        native.push(readNative(buf, bytes));
        tool.push(extractTool(image, dest, processors));
      }
      const ratios = native.map((n, i) => (tool[i]?.ms ?? Number.NaN) / n.ms);
      const nativeRate = mbps(bytes, median(native.map((n) => n.ms)));
      const toolRate = mbps(bytes, median(tool.map((t) => t.ms)));
      out.write(
        `  ${compressor.padEnd(5)} image ${(buf.length / 1024 / 1024).toFixed(1).padStart(5)} MiB  reference unsquashfs ${toolRate.toFixed(1).padStart(7)} MB/s (${median(tool.map((t) => t.cpu)).toFixed(2)} s CPU)   nospy native reader ${nativeRate.toFixed(1).padStart(7)} MB/s (${median(native.map((n) => n.cpu)).toFixed(2)} s CPU)  median ${median(ratios).toFixed(2)}× (rounds ${ratios.map((r) => r.toFixed(2)).join(' ')}; goal ≥ 1.00)  load ${loadBefore}→${load()}\n`,
      );
    }
  } finally {
    if (shm !== work) rmSync(shm, { recursive: true, force: true });
  }
}
