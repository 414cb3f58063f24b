/**
 * The native squashfs reader beside Debian's `unsquashfs`, on the same images in the same run:
 * a compressible synthetic tree packed by mksquashfs with gzip, xz and zstd; nospy unpacks each
 * image and reads every file's bytes (in memory), `unsquashfs` extracts it into a temp dir
 * (removed after each round). Rates are in MB of file content per second, best of the rounds
 * (the first pays for starting the decode threads). Beside each rate: the CPU seconds it took
 * (nospy's process, all threads; unsquashfs from the children's times in /proc/self/stat) and
 * the load average, since the machine is shared. Goal: the native reader at least as fast, since
 * it writes nothing to disk.
 */
import { execFileSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LIMITS, UnpackBudget } from '../../src/firmware/limits.js';
import { sharedDecodePool } from '../../src/firmware/codecs/decode-pool.js';
import { ZSTD_DECODER } from '../../src/firmware/codecs/zstd.js';
import { unpackBytes } from '../../src/firmware/unpack/unpack.js';

const MB = Number(process.env.NOSPY_BENCH_SQUASHFS_MB ?? '48');
const ROUNDS = 3;
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

/** Runs the comparison in `work` and prints one line per compressor. */
export function benchSquashfs(work: string): void {
  const root = join(work, 'sqroot');
  mkdirSync(root);
  const bytes = buildTree(root);
  const out = process.stdout;
  const threads = sharedDecodePool()?.threads ?? 0;
  out.write(
    `squashfs images of a ${(bytes / 1024 / 1024).toFixed(0)} MiB compressible tree (400 files), best of ${ROUNDS}; Node ${process.version}; zstd decoder: ${ZSTD_DECODER}; decode threads: ${threads}\n`,
  );
  for (const compressor of COMPRESSORS) {
    const image = join(work, `bench.${compressor}.sqfs`);
    execFileSync(
      'mksquashfs',
      [root, image, '-noappend', '-no-progress', '-quiet', '-comp', compressor],
      {
        stdio: 'ignore',
      },
    );
    const buf = readFileSync(image);
    let nativeMs = Infinity;
    let toolMs = Infinity;
    let nativeCpu = Infinity;
    let toolCpu = Infinity;
    const loadBefore = load();
    for (let round = 0; round < ROUNDS; round += 1) {
      const cpu = process.cpuUsage();
      let start = performance.now();
      const budget = new UnpackBudget(DEFAULT_LIMITS);
      const { tree } = unpackBytes(buf, budget, 'bench');
      let read = 0;
      for (const entry of tree.entries())
        if (entry.type === 'file') read += tree.read(entry.path)?.length ?? 0;
      nativeMs = Math.min(nativeMs, performance.now() - start);
      nativeCpu = Math.min(nativeCpu, cpuSeconds(cpu));
      if (read !== bytes || budget.warnings.length > 0)
        throw new Error(
          `native reader read ${read} of ${bytes} bytes: ${JSON.stringify(budget.warnings)}`,
        );
      const dest = join(work, `extract.${compressor}`);
      const childCpu = childrenCpuSeconds();
      start = performance.now();
      execFileSync('unsquashfs', ['-n', '-q', '-d', dest, image], { stdio: 'ignore' });
      toolMs = Math.min(toolMs, performance.now() - start);
      toolCpu = Math.min(toolCpu, childrenCpuSeconds() - childCpu);
      rmSync(dest, { recursive: true, force: true });
    }
    const native = mbps(bytes, nativeMs);
    const tool = mbps(bytes, toolMs);
    out.write(
      `  ${compressor.padEnd(5)} image ${(buf.length / 1024 / 1024).toFixed(1).padStart(5)} MiB  reference unsquashfs -d <tmp> ${tool.toFixed(1).padStart(7)} MB/s (${toolCpu.toFixed(2)} s CPU)   nospy native reader ${native.toFixed(1).padStart(7)} MB/s (${nativeCpu.toFixed(2)} s CPU)  (${(native / tool).toFixed(2)}×; goal ≥ 1.00)  load ${loadBefore}→${load()}\n`,
    );
  }
}
