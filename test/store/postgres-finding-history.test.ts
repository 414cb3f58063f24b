/**
 * `nospy check` with a postgres:// store keeps the finding history in the database (it once
 * always went to nospy.db in the data directory), where `nospy serve` on the same store reads it.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/check/index.js';
import { openLog } from '../../src/log/open-log.js';
import {
  acceptStatement,
  parseTrustFile,
  serializeEnvelope,
  signStatement,
  type Statement,
} from '../../src/statements/index.js';
import { AGREEMENT_PREDICATE_TYPE } from '../../src/statements/predicates/agreement.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../../src/statements/predicates/deployment.js';
import { PostgresFindingStore } from '../../src/store/postgres/postgres-finding-store.js';
import { generateNoteKey, keyHandle } from '../../src/tlog/note-key.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { requireTools } from '../helpers/require-tools.js';
import { runCli } from '../helpers/run-cli.js';

const GLOBEX = 'Globex Telecom Systems';

describe('nospy check with a PostgreSQL store', () => {
  requireTools('postgresql');
  let dir: string;
  let database: TestDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nospy-pg-history-'));
    database = await createTestDatabase();
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  it('records the run in the database, not in a data directory', async () => {
    const logKey = generateNoteKey('log.example');
    const vendor = generateNoteKey('globex');
    const operator = generateNoteKey('operator');
    const trustText = [
      'parties:',
      `  - { name: "${GLOBEX}", role: vendor, keys: ["${vendor.vkey}"] }`,
      `  - { name: Example Telecom, role: operator, keys: ["${operator.vkey}"] }`,
      `log: { key: "${logKey.vkey}" }`,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'trust.yaml'), trustText);
    const trust = parseTrustFile(trustText, 'trust.yaml');
    const agreement: Statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'agreement.pdf', digest: { sha256: 'c'.repeat(64) } }],
      predicateType: AGREEMENT_PREDICATE_TYPE,
      predicate: {
        agreementId: 'GX-1',
        title: 'Globex no-spy agreement',
        parties: { vendor: { name: GLOBEX, key: keyHandle(vendor) } },
        validity: { from: '2026-01-01', until: '2027-12-31' },
        scope: { products: ['router'] },
        clauses: [{ clause: 'firmware-logged-before-deployment' }],
      },
    };
    const deployment: Statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'fw.bin', digest: { sha256: 'e'.repeat(64) } }],
      predicateType: DEPLOYMENT_PREDICATE_TYPE,
      predicate: {
        operator: 'Example Telecom',
        device: { id: 'globex-1', vendor: GLOBEX, model: 'GX-9' },
        observedAt: '2026-02-01T00:00:00Z',
        method: 'image-hash',
      },
    };
    const log = await openLog({ dataDir: join(dir, 'log'), signer: logKey });
    const now = new Date('2026-06-01T00:00:00Z');
    for (const [statement, signer] of [
      [agreement, vendor],
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

    const result = await runCli(['check', '--config', join(dir, 'nospy.yaml'), '--json'], {
      cwd: dir,
      env: { NOSPY_STORE_URL: database.url },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((f) => f.kind)).toContain('firmware-not-logged');

    const store = await PostgresFindingStore.open(database.url);
    try {
      const histories = await store.histories();
      expect([...histories.keys()].sort()).toEqual(report.findings.map((f) => f.id).sort());
      for (const h of histories.values()) expect(h.firstRun).toBe('2026-06-01T00:00:00.000Z');
    } finally {
      await store.close();
    }
    expect(existsSync(join(dir, '.nospy'))).toBe(false);
    // A whole check run (its advisory data and all) on a machine shared with other builds.
  }, 120_000);
});
