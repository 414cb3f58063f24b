/**
 * A forked log: one log key signing two different histories, in two data directories, served by
 * two real servers. `nospy log verify --gossip` and `nospy check --gossip` each turn it into a
 * proof of misbehaviour, which `nospy verify` confirms offline with only the trust file, and
 * refuses once anything in it is changed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/check/index.js';
import type { InconsistencyEvidence } from '../../src/log/consistency/inconsistency-evidence.js';
import { signCheckpoint } from '../../src/tlog/checkpoint.js';
import { leafHash } from '../../src/tlog/hash.js';
import { MemoryTree } from '../../src/tlog/memory-tree.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { fullConsistencyPath } from '../../src/tlog/tree.js';
import { runCli } from '../helpers/run-cli.js';
import { checkpointOf, startLog, tempDir, type RunningLog } from './helpers.js';

const logKey = generateNoteKey('log.example/split');
const party = generateNoteKey('operator.example');
const temp = tempDir('nospy-split-view-');
const trustFile = join(temp.dir, 'trust.yaml');

/** The entries of a history: the first `common` shared, the rest its own. */
function history(size: number, common: number, own: string): Buffer[] {
  return Array.from({ length: size }, (_, i) =>
    Buffer.from(i < common ? `entry ${i}` : `${own} ${i}`),
  );
}

/** A signed checkpoint of `entries`' first `size` leaves, as the log key would sign it. */
function signedAt(entries: readonly Buffer[], size: number): string {
  const tree = new MemoryTree();
  for (const entry of entries.slice(0, size)) tree.append(leafHash(entry));
  return signCheckpoint(
    { origin: logKey.name, size, rootHash: tree.root(), extensions: [] },
    logKey,
  );
}

let honest: RunningLog;
let forked: RunningLog;
let twin: RunningLog;
const HONEST = history(300, 300, 'entry');
const FORKED = history(310, 200, 'forged');
const TWIN = history(310, 200, 'other');

async function serveHistory(name: string, entries: readonly Buffer[]): Promise<RunningLog> {
  const running = await startLog({ dir: join(temp.dir, name), key: logKey });
  // In order, so that entry i is at index i.
  for (const entry of entries) await running.log.sequencer.add(entry);
  return running;
}

const file = (name: string, text: string): string => {
  const path = join(temp.dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(async () => {
  writeFileSync(
    trustFile,
    [
      'parties:',
      `  - { name: Example Operator, role: operator, keys: ["${party.vkey}"] }`,
      `log: { key: "${logKey.vkey}" }`,
      '',
    ].join('\n'),
  );
  honest = await serveHistory('honest', HONEST);
  forked = await serveHistory('forked', FORKED);
  twin = await serveHistory('twin', TWIN);
});
afterAll(async () => {
  await Promise.all([honest.close(), forked.close(), twin.close()]);
  temp.remove();
});

interface VerifyOutput {
  ok: boolean;
  consistent: { seenBy: string; size: number }[];
  inconsistencies: InconsistencyEvidence[];
  evidenceFiles: string[];
}

async function logVerify(log: string, ...extra: string[]) {
  const state = join(temp.dir, `state-${Math.random().toString(16).slice(2)}.json`);
  const run = await runCli([
    'log',
    'verify',
    log,
    '--trust',
    trustFile,
    '--state',
    state,
    '--json',
    ...extra,
  ]);
  return { ...run, out: run.stdout === '' ? undefined : (JSON.parse(run.stdout) as VerifyOutput) };
}

async function verifyEvidence(evidence: unknown) {
  const path = file(
    `evidence-${Math.random().toString(16).slice(2)}.json`,
    JSON.stringify(evidence),
  );
  const run = await runCli(['verify', path, '--trust', trustFile, '--json']);
  return {
    ...run,
    out:
      run.stdout === ''
        ? undefined
        : (JSON.parse(run.stdout) as { valid: boolean; failed: string[] }),
  };
}

describe('a log key that signed two histories', () => {
  describe('nospy log verify with the other server as gossip', () => {
    it('exits 1 with a proof that the larger tree does not extend the smaller, which nospy verify accepts offline', async () => {
      const dir = join(temp.dir, 'evidence');
      const run = await logVerify(honest.url, '--gossip', forked.url, '--evidence', dir);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      const [evidence, ...more] = run.out?.inconsistencies ?? [];
      expect(more).toEqual([]);
      expect(evidence).toMatchObject({
        format: 'nospy-evidence/v1',
        type: 'log-inconsistency',
        origin: logKey.name,
        conflict: 'not-an-extension',
        older: { checkpoint: await checkpointOf(honest.url) },
        newer: { checkpoint: await checkpointOf(forked.url), seenBy: `${forked.url}/checkpoint` },
      });
      const [written] = readdirSync(dir);
      expect(JSON.parse(readFileSync(join(dir, written ?? ''), 'utf8'))).toEqual(evidence);
      const offline = await runCli(['verify', join(dir, written ?? ''), '--trust', trustFile]);
      expect(offline.stderr).toBe('');
      expect(offline.code).toBe(0);
      expect(offline.stdout).toMatch(
        /valid proof that log\.example\/split signed two incompatible checkpoints \(sizes 300 and 310\)/,
      );
    });

    it('finds the same reading the log from its data directory', async () => {
      const run = await logVerify(honest.dir, '--gossip', forked.url);
      expect(run.code).toBe(1);
      expect(run.out?.inconsistencies[0]?.conflict).toBe('not-an-extension');
    });

    it('proves it from the larger tree when the smaller checkpoint comes as a file', async () => {
      const mailed = file('honest-checkpoint.txt', await checkpointOf(honest.url));
      const run = await logVerify(forked.url, '--gossip', mailed);
      expect(run.code).toBe(1);
      const evidence = run.out?.inconsistencies[0];
      expect(evidence?.older.seenBy).toBe(mailed);
      expect((await verifyEvidence(evidence)).code).toBe(0);
    });

    it('cannot check a mailed checkpoint larger than every copy at hand: exit 2, not a pass', async () => {
      const mailed = file('forked-checkpoint.txt', await checkpointOf(forked.url));
      const run = await logVerify(honest.url, '--gossip', mailed);
      expect(run.stdout).toBe('');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /the checkpoint of size 310 from .*forked-checkpoint\.txt .*could not be checked/,
      );
    });

    it('reports two roots for one size', async () => {
      const run = await logVerify(forked.url, '--gossip', twin.url);
      expect(run.code).toBe(1);
      const evidence = run.out?.inconsistencies[0];
      expect(evidence?.conflict).toBe('two-roots-at-one-size');
      expect(evidence?.proof).toEqual([]);
      expect((await verifyEvidence(evidence)).code).toBe(0);
    });

    it('accepts a checkpoint the log signed earlier on the same history', async () => {
      const earlier = file('earlier.txt', signedAt(HONEST, 100));
      const run = await logVerify(honest.url, '--gossip', earlier);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.out?.consistent).toContainEqual({ seenBy: earlier, size: 100 });
    });

    it('refuses gossip the log key did not sign (exit 2)', async () => {
      const stranger = generateNoteKey('log.example/split');
      const tree = new MemoryTree();
      tree.append(leafHash(Buffer.from('x')));
      const forged = file(
        'stranger.txt',
        signCheckpoint(
          { origin: stranger.name, size: 1, rootHash: tree.root(), extensions: [] },
          stranger,
        ),
      );
      const run = await logVerify(honest.url, '--gossip', forged);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/is not one the log signed/);
    });
  });

  describe('nospy check with the other server as gossip', () => {
    it('reports a critical log-inconsistency finding whose evidence nospy verify accepts as it comes', async () => {
      const config = file('nospy.yaml', `trust: trust.yaml\ncheck:\n  log: honest\n`);
      const run = await runCli(
        [
          'check',
          '--config',
          config,
          '--json',
          '--state',
          join(temp.dir, 'check-state.json'),
          '--gossip',
          forked.url,
        ],
        { cwd: temp.dir },
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as Report;
      const [finding, ...rest] = report.findings;
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({
        kind: 'log-inconsistency',
        severity: 'critical',
        subject: { log: logKey.name },
        breaks: { type: 'log', property: 'consistency' },
      });
      const offline = await verifyEvidence(finding?.evidence[0]);
      expect(offline.code).toBe(0);
      expect(offline.out?.valid).toBe(true);
    });
  });

  describe('when the evidence was tampered with', () => {
    let evidence: InconsistencyEvidence;
    beforeAll(async () => {
      const run = await logVerify(honest.url, '--gossip', forked.url);
      const found = run.out?.inconsistencies[0];
      if (found === undefined) throw new Error('no evidence');
      evidence = found;
    });

    it('rejects a checkpoint not signed by the log key', async () => {
      const impostor = generateNoteKey('log.example/split');
      const tree = new MemoryTree();
      for (const entry of FORKED) tree.append(leafHash(entry));
      const newer = signCheckpoint(
        { origin: impostor.name, size: 310, rootHash: tree.root(), extensions: [] },
        impostor,
      );
      const run = await verifyEvidence({
        ...evidence,
        newer: { ...evidence.newer, checkpoint: newer },
      });
      expect(run.code).toBe(1);
      expect(run.out?.failed).toContain('checkpoint-signature');
    });

    it('rejects a proof with one hash changed', async () => {
      const proof = [...evidence.proof];
      proof[0] = Buffer.alloc(32, 7).toString('base64');
      const run = await verifyEvidence({ ...evidence, proof });
      expect(run.code).toBe(1);
      expect(run.out?.failed).toEqual(['incompatible']);
    });

    it('rejects two checkpoints of one history', async () => {
      const run = await verifyEvidence({
        ...evidence,
        older: { checkpoint: signedAt(FORKED, 250), seenBy: 'the same history' },
        proof: proofFromForked(250).map((h) => h.toString('base64')),
      });
      expect(run.code).toBe(1);
      expect(run.out?.failed).toEqual(['incompatible']);
      expect(run.stdout).toMatch(/they are consistent/);
    });

    it('refuses malformed evidence before verifying anything (exit 2)', async () => {
      const run = await verifyEvidence({ ...evidence, proof: ['not base64'] });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/LOG_EVIDENCE_INVALID/);
    });
  });
});

/** The full consistency path from `m` in the forked history's tree of 310. */
function proofFromForked(m: number): Buffer[] {
  const tree = new MemoryTree();
  for (const entry of FORKED) tree.append(leafHash(entry));
  return fullConsistencyPath(m, 310, tree.read);
}
