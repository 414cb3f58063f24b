import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evidence, Report } from '../../src/check/index.js';
import { openLog } from '../../src/log/open-log.js';
import {
  acceptStatement,
  parseTrustFile,
  serializeEnvelope,
  signStatement,
  type Statement,
} from '../../src/statements/index.js';
import { SqliteLogStore } from '../../src/store/sqlite/sqlite-log-store.js';
import { generateNoteKey, keyHandle } from '../../src/tlog/note-key.js';
import {
  encodeEntryBundle,
  entriesPath,
  tilePath,
  tilesForSize,
  TILE_WIDTH,
} from '../../src/tlog/tiles.js';
import { runCli } from '../helpers/run-cli.js';
import { AGREEMENT_PREDICATE_TYPE } from '../../src/statements/predicates/agreement.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../../src/statements/predicates/deployment.js';
import { RELEASE_PREDICATE_TYPE } from '../../src/statements/predicates/release.js';

const GLOBEX = 'Globex Telecom Systems';
const ACME = 'Acme Networks';
const RUNNING = 'e'.repeat(64);
const LOGGED = '1'.repeat(64);
const NOW = ['--now', '2026-06-01T00:00:00Z'];

type Absence = Extract<Evidence, { type: 'absence' }>;

function release(vendor: string, image: string, version: string): Statement {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'fw.bin', digest: { sha256: image } }],
    predicateType: RELEASE_PREDICATE_TYPE,
    predicate: {
      vendor,
      models: ['GX-9'],
      version,
      releasedAt: '2026-01-10',
      sbom: { format: 'cyclonedx', digest: { sha256: 'c'.repeat(64) } },
      mud: { digest: { sha256: 'c'.repeat(64) }, url: 'https://mud.example.com/gx9.json' },
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'nospy-absence-'));
const logDir = join(dir, 'log');
const trustFile = join(dir, 'trust.yaml');
let absence: Absence;

/** Writes the absence (or a changed copy) and runs `nospy verify` on it. */
async function verify(evidence: unknown, ...extra: string[]) {
  const file = join(dir, `absence-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(evidence));
  const run = await runCli(['--json', 'verify', file, '--trust', trustFile, ...NOW, ...extra]);
  return {
    code: run.code,
    stderr: run.stderr,
    out: JSON.parse(run.stdout || '{}') as {
      valid: boolean;
      complete: boolean;
      failed: string[];
      checks: { id: string; status: string; message: string }[];
    },
  };
}

/** A mirror of the log's tlog-tiles files: its checkpoint, hash tiles and entry bundles. */
async function tilesMirror(): Promise<string> {
  const store = new SqliteLogStore(logDir);
  try {
    const checkpoint = await store.latestCheckpoint();
    const size = checkpoint?.size ?? 0;
    const out = join(dir, 'tiles');
    const write = (path: string, bytes: Buffer | string) => {
      mkdirSync(dirname(join(out, path)), { recursive: true });
      writeFileSync(join(out, path), bytes);
    };
    write('checkpoint', checkpoint?.cosignedNote ?? checkpoint?.note ?? '');
    for (const coord of tilesForSize(size)) {
      const row = await store.readTile(coord.level, coord.index);
      write(tilePath(coord.level, coord.index, coord.width), row ?? Buffer.alloc(0));
      if (coord.level > 0) continue;
      const start = coord.index * TILE_WIDTH;
      write(
        entriesPath(coord.index, coord.width),
        encodeEntryBundle(await store.readEntries(start, coord.width)),
      );
    }
    return out;
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const logKey = generateNoteKey('log.example');
  const globex = generateNoteKey('globex');
  const acme = generateNoteKey('acme');
  const operator = generateNoteKey('operator');
  const trustText = [
    'parties:',
    `  - { name: "${GLOBEX}", role: vendor, keys: ["${globex.vkey}"] }`,
    `  - { name: "${ACME}", role: vendor, keys: ["${acme.vkey}"] }`,
    `  - { name: Example Telecom, role: operator, keys: ["${operator.vkey}"] }`,
    `log: { key: "${logKey.vkey}" }`,
    '',
  ].join('\n');
  writeFileSync(trustFile, trustText);
  const trust = parseTrustFile(trustText, 'trust.yaml');
  const now = new Date('2026-06-01T00:00:00Z');
  const agreement: Statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'agreement.pdf', digest: { sha256: 'c'.repeat(64) } }],
    predicateType: AGREEMENT_PREDICATE_TYPE,
    predicate: {
      agreementId: 'GX-1',
      title: 'Globex no-spy agreement',
      parties: { vendor: { name: GLOBEX, key: keyHandle(globex) } },
      validity: { from: '2026-01-01', until: '2027-12-31' },
      scope: { products: ['router'] },
      clauses: [{ clause: 'firmware-logged-before-deployment' }],
    },
  };
  const deployment: Statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'fw.bin', digest: { sha256: RUNNING } }],
    predicateType: DEPLOYMENT_PREDICATE_TYPE,
    predicate: {
      operator: 'Example Telecom',
      device: { id: 'globex-1', vendor: GLOBEX, model: 'GX-9' },
      observedAt: '2026-02-01T00:00:00Z',
      method: 'image-hash',
    },
  };
  const log = await openLog({ dataDir: logDir, signer: logKey });
  for (const [statement, signer] of [
    [agreement, globex],
    [release(GLOBEX, LOGGED, '1.0'), globex],
    [release(ACME, '2'.repeat(64), '7.1'), acme],
    [release(GLOBEX, '3'.repeat(64), '1.1'), globex],
    [deployment, operator],
  ] as const) {
    await log.sequencer.add(
      acceptStatement(serializeEnvelope(signStatement(statement, signer)), trust, { now }).entry,
    );
  }
  await log.close();
  writeFileSync(
    join(dir, 'nospy.yaml'),
    'trust: trust.yaml\ncheck:\n  log: log\n  date: 2026-06-01\n',
  );
  const run = await runCli(['check', '--config', join(dir, 'nospy.yaml'), '--json'], { cwd: dir });
  const report = JSON.parse(run.stdout) as Report;
  const found = report.findings
    .flatMap((f) => f.evidence)
    .find((e): e is Absence => e.type === 'absence');
  if (found === undefined) throw new Error('nospy check wrote no absence evidence');
  absence = found;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('proof of absence from nospy check', () => {
  it("lists the vendor's two releases with their proofs, and not the other vendor's", () => {
    expect(absence.vendor).toBe(GLOBEX);
    expect(absence.releases?.map((r) => r.index)).toEqual([1, 3]);
    expect(absence.omitted).toBe(0);
  });

  describe('nospy verify without a log copy', () => {
    it('passes every offline check and says completeness was not checked (exit 0)', async () => {
      const { code, out } = await verify(absence);
      expect(code).toBe(0);
      expect(out.valid).toBe(true);
      expect(out.complete).toBe(false);
      expect(out.checks.map((c) => [c.id, c.status])).toEqual([
        ['checkpoint-signature', 'pass'],
        ['witness-quorum', 'pass'],
        ['releases-listed', 'pass'],
        ['release-statements', 'pass'],
        ['same-checkpoint', 'pass'],
        ['release-vendor', 'pass'],
        ['not-named', 'pass'],
        ['complete', 'skip'],
      ]);
    });

    it('fails not-named when the digest is one a listed release names (exit 1)', async () => {
      const { code, out } = await verify({ ...absence, digest: `sha256:${LOGGED}` });
      expect(code).toBe(1);
      expect(out.failed).toEqual(['not-named']);
      expect(out.checks.find((c) => c.id === 'not-named')?.message).toMatch(/log index 1 name/);
    });

    it('fails release-statements when a listed envelope was changed', async () => {
      const [first, second] = absence.releases ?? [];
      if (first === undefined || second === undefined) throw new Error('two releases expected');
      const swapped = { ...first, tlogProof: second.tlogProof };
      const { code, out } = await verify({ ...absence, releases: [swapped, second] });
      expect(code).toBe(1);
      expect(out.failed).toContain('release-statements');
    });

    it('fails releases-listed for evidence that only states the absence', async () => {
      const { releases: _r, vendor: _v, omitted: _o, ...sentence } = absence;
      const { code, out } = await verify(sentence);
      expect(code).toBe(1);
      expect(out.failed).toEqual(['releases-listed']);
    });

    it('rejects an unknown field with exit 2, naming it', async () => {
      const file = join(dir, 'extra.json');
      writeFileSync(file, JSON.stringify({ ...absence, extra: 1 }));
      const run = await runCli(['verify', file, '--trust', trustFile, ...NOW]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('absence evidence: extra is not a field of absence evidence');
    });
  });

  describe('nospy verify --log', () => {
    it("with the data directory: the copy is the checkpoint's tree and no other release names the digest", async () => {
      const { code, out } = await verify(absence, '--log', logDir);
      expect(code).toBe(0);
      expect(out.complete).toBe(true);
      expect(out.checks.slice(-2).map((c) => [c.id, c.status])).toEqual([
        ['log-copy', 'pass'],
        ['complete', 'pass'],
      ]);
    });

    it('with a directory of tiles (a partial entry bundle): the same', async () => {
      const { code, out } = await verify(absence, '--log', await tilesMirror());
      expect(code).toBe(0);
      expect(out.complete).toBe(true);
    });

    it('with a tiles URL: the same, reading the entry bundles over HTTP', async () => {
      const root = await tilesMirror();
      const server = createServer((req, res) => {
        const file = join(root, (req.url ?? '/').slice(1));
        if (!existsSync(file)) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200).end(readFileSync(file));
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      try {
        const { port } = server.address() as AddressInfo;
        const { code, out } = await verify(absence, '--log', `http://127.0.0.1:${port}/`);
        expect(code).toBe(0);
        expect(out.complete).toBe(true);
      } finally {
        await new Promise((done) => server.close(done));
      }
    });

    it('refuses --log for an evidence bundle (exit 2): completeness is about absence', async () => {
      const file = join(dir, 'bundle.json');
      writeFileSync(file, JSON.stringify({ format: 'nospy-evidence/v1', envelope: {}, proof: '' }));
      const run = await runCli(['verify', file, '--trust', trustFile, '--log', logDir]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--log checks the completeness of absence evidence');
    });

    it('finds a release the evidence left out, which offline checking cannot', async () => {
      const [first] = absence.releases ?? [];
      const trimmed = { ...absence, releases: [first] };
      expect((await verify(trimmed)).code).toBe(0);
      const { code, out } = await verify(trimmed, '--log', logDir);
      expect(code).toBe(1);
      expect(out.checks.find((c) => c.id === 'complete')).toMatchObject({
        status: 'fail',
        message: `the evidence leaves out release(s) of ${GLOBEX} at log index 3`,
      });
    });

    it('fails log-copy for a copy of another log', async () => {
      const other = join(dir, 'other');
      const log = await openLog({ dataDir: other, signer: generateNoteKey('log.example') });
      for (let i = 0; i < 5; i++) await log.sequencer.add(Buffer.from(`entry ${i}`));
      await log.close();
      const { code, out } = await verify(absence, '--log', other);
      expect(code).toBe(1);
      expect(out.checks.find((c) => c.id === 'log-copy')?.message).toMatch(
        /is not this log's tree at the checkpoint .*the tiles give the root/,
      );
    });

    it('fails log-copy for a copy shorter than the checkpoint', async () => {
      const empty = join(dir, 'empty');
      const log = await openLog({ dataDir: empty, signer: generateNoteKey('log.example') });
      await log.sequencer.add(Buffer.from('only one'));
      await log.close();
      const { out } = await verify(absence, '--log', empty);
      expect(out.checks.find((c) => c.id === 'log-copy')?.message).toMatch(
        /is not this log's tree at the checkpoint \(size 5\): .*tile\/0\/000\.p\/5 is missing, or shorter than the signed tree needs/,
      );
    });
  });
});
