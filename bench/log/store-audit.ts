/**
 * bench/log, the audit half: how long a log server's start-up audit of its store takes (every
 * entry, every tile, the signed checkpoint — src/log/store-audit) at 1M and 10M entries, built
 * through the sequencer's bulk path, then a restart that audits only what came after its signed
 * watermark. Printed beside the hashing ceiling measured the way the code hashes, in this run:
 * one leaf hash of the entry size plus one node hash per leaf (`leafHash`/`nodeHash`,
 * src/tlog/hash.ts), which is what a full audit cannot go faster than.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openLog } from '../../src/log/open-log.js';
import { sqliteWatermarkStore } from '../../src/log/store-audit/sqlite-watermark.js';
import { StoreAuditor } from '../../src/log/store-audit/store-auditor.js';
import { WriteGate } from '../../src/log/store-audit/write-gate.js';
import { leafHash, nodeHash } from '../../src/tlog/hash.js';
import type { NoteSigner } from '../../src/tlog/note-key.js';

const BULK = 65_536;

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** CPU seconds this process used so far (every thread). */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Calls of `work` per CPU-second, over about a second of CPU. CPU time rather than wall time: on
 * a shared machine the wall clock measures the neighbours as much as the code.
 */
function rate(work: () => void): number {
  let count = 0;
  const start = cpuSeconds();
  let used = 0;
  while (used < 1) {
    for (let i = 0; i < 10_000; i += 1) work();
    count += 10_000;
    used = cpuSeconds() - start;
  }
  return count / used;
}

/**
 * The audit's ceiling in leaves per CPU-second for entries of `entryBytes`: one leaf hash and
 * one node hash each, through the functions the verifier calls.
 */
export function auditCeiling(entryBytes: number): { leaf: number; node: number; leaves: number } {
  const entry = randomBytes(entryBytes);
  const a = randomBytes(32);
  const b = randomBytes(32);
  const leaf = rate(() => leafHash(entry));
  const node = rate(() => nodeHash(a, b));
  return { leaf, node, leaves: 1 / (1 / leaf + 1 / node) };
}

async function build(dir: string, key: NoteSigner, size: number, entry: (i: number) => Buffer) {
  const log = await openLog({
    dataDir: dir,
    signer: key,
    logger: pino({ level: 'silent' }),
    maxBatchEntries: 16_384,
    maxQueuedEntries: 1 << 20,
  });
  const start = performance.now();
  try {
    for (let done = 0; done < size; done += BULK) {
      const count = Math.min(BULK, size - done);
      await Promise.all(
        Array.from({ length: count }, (_, i) => log.sequencer.add(entry(done + i))),
      );
    }
  } finally {
    await log.close();
  }
  return (performance.now() - start) / 1000;
}

async function audit(dir: string, key: NoteSigner) {
  const cpu = cpuSeconds();
  const gate = new WriteGate('audit');
  const watermarks = sqliteWatermarkStore(dir);
  const auditor = new StoreAuditor({
    dataDir: dir,
    signer: key,
    gate,
    watermarks,
    fullAuditEveryMs: 0,
  });
  try {
    const outcome = await auditor.start();
    if (!outcome.ok) throw new Error(`the audit failed: ${outcome.message ?? ''}`);
    return { ...outcome, cpu: cpuSeconds() - cpu };
  } finally {
    await auditor.stop();
    watermarks.close();
  }
}

/** Builds a log of each size and times a full start-up audit and a restart after it. */
export async function benchStoreAudit(
  key: NoteSigner,
  sizes: readonly number[],
  entryBytes: number,
  entry: (i: number) => Buffer,
): Promise<void> {
  const ceiling = auditCeiling(entryBytes);
  process.stdout.write(
    `\nreference (per CPU-second): leafHash of ${entryBytes}-byte entries ${fmt(ceiling.leaf)}, nodeHash ${fmt(ceiling.node)} → audit ceiling ${fmt(ceiling.leaves)} leaves per CPU-s (one of each per leaf; src/tlog/hash.ts, this machine, now)\n`,
  );
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-audit-'));
    try {
      const built = await build(dir, key, size, entry);
      const bytes = statSync(join(dir, 'nospy.db')).size;
      process.stdout.write(
        `store of ${fmt(size)} entries built in ${built.toFixed(0)} s (bulk, ${fmt(size / built)} entries/s), nospy.db ${(bytes / 2 ** 20).toFixed(0)} MiB\n`,
      );
      const full = await audit(dir, key);
      const perCpu = full.entries / full.cpu;
      process.stdout.write(
        `  start-up audit, full (no watermark)        ${full.seconds.toFixed(1).padStart(6)} s wall, ${full.cpu.toFixed(1)} s CPU: ${fmt(full.entries / full.seconds)} entries/s, ${fmt(perCpu)} per CPU-s (ceiling ÷ this = ${(ceiling.leaves / perCpu).toFixed(2)})\n`,
      );
      const restart = await audit(dir, key);
      process.stdout.write(
        `  restart, from the signed watermark         ${restart.seconds.toFixed(2).padStart(6)} s  (${fmt(restart.entries)} entries re-read)\n`,
      );
      await build(dir, key, Math.ceil(size / 100), (i) => entry(size + i));
      const grown = await audit(dir, key);
      process.stdout.write(
        `  restart after 1% more entries               ${grown.seconds.toFixed(2).padStart(6)} s  (${fmt(grown.entries)} entries read)\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
