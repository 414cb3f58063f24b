import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/check/index.js';
import { openLog } from '../../src/log/open-log.js';
import {
  acceptStatement,
  parseTrustFile,
  serializeEnvelope,
  signStatement,
  type Statement,
} from '../../src/statements/index.js';
import { verifyTlogProof } from '../../src/tlog/proof-bundle.js';
import { generateNoteKey, keyHandle } from '../../src/tlog/note-key.js';
import { runCli } from '../helpers/run-cli.js';
import { SqliteFindingStore } from '../../src/store/sqlite/sqlite-finding-store.js';
import { AGREEMENT_PREDICATE_TYPE } from '../../src/statements/predicates/agreement.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../../src/statements/predicates/deployment.js';

const GLOBEX = 'Globex Telecom Systems';
const IMAGE = 'e'.repeat(64);

describe('nospy check on a real log', () => {
  it('reports the unlogged image and the missing canary, each with a tlog-proof that verifies offline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-check-log-'));
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
    const now = new Date('2026-06-01T00:00:00Z');
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
        clauses: [
          { clause: 'firmware-logged-before-deployment' },
          { clause: 'canary-every', days: 30 },
        ],
      },
    };
    const deployment: Statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'fw.bin', digest: { sha256: IMAGE } }],
      predicateType: DEPLOYMENT_PREDICATE_TYPE,
      predicate: {
        operator: 'Example Telecom',
        device: { id: 'globex-1', vendor: GLOBEX, model: 'GX-9' },
        observedAt: '2026-02-01T00:00:00Z',
        method: 'image-hash',
      },
    };
    const log = await openLog({ dataDir: join(dir, 'log'), signer: logKey });
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

    const html = join(dir, 'report.html');
    const result = await runCli(
      ['check', '--config', join(dir, 'nospy.yaml'), '--json', '--html', html],
      { cwd: dir },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(
      report.findings.map((f) => [f.kind, f.subject.device ?? f.subject.vendor]).sort(),
    ).toEqual([
      ['canary-lapsed', GLOBEX],
      ['firmware-not-logged', 'globex-1'],
    ]);
    for (const f of report.findings) {
      for (const e of f.evidence) {
        if (e.type !== 'statement') continue;
        const { index } = verifyTlogProof(
          e.proof,
          { entry: Buffer.from(JSON.stringify(e.envelope), 'utf8') },
          logKey,
        );
        expect(index).toBe(e.index);
      }
    }
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('firmware-not-logged');
    expect(page).not.toMatch(/<(link|script)\b|src=/);

    // The run is in the finding history of the config's data directory, as nospy serve reads it.
    const store = new SqliteFindingStore(join(dir, '.nospy'));
    const histories = await store.histories();
    await store.close();
    expect([...histories.keys()].sort()).toEqual(report.findings.map((f) => f.id).sort());
    for (const h of histories.values()) expect(h.firstRun).toBe('2026-06-01T00:00:00.000Z');
  });
});
