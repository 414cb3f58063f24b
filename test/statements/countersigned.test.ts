/**
 * A release logged once and then again with a late countersignature is one release: nospy check
 * lists it once in a proof of absence, and `nospy verify --log` finds that list complete.
 * Regression: the extending entry was counted as a second release of the vendor.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Evidence, Report } from '../../src/check/index.js';
import { agreement, ALL_CLAUSES, deployment, release } from '../../src/check/test-support.js';
import { openLog } from '../../src/log/open-log.js';
import { AGREEMENT_PREDICATE_TYPE } from '../../src/statements/predicates/agreement.js';
import {
  acceptStatement,
  addSignature,
  parseTrustFile,
  serializeEnvelope,
  signStatement,
  type Statement,
} from '../../src/statements/index.js';
import { generateNoteKey, keyHandle } from '../../src/tlog/note-key.js';
import { runCli } from '../helpers/run-cli.js';

const GLOBEX = 'Globex Telecom Systems';
const dir = mkdtempSync(join(tmpdir(), 'nospy-countersigned-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a release countersigned after it was logged', () => {
  it('is listed once in the proof of absence, and the list is complete', async () => {
    const logKey = generateNoteKey('log.example');
    const globex = generateNoteKey('globex');
    const auditor = generateNoteKey('audit');
    const operator = generateNoteKey('operator');
    const trustText = [
      'parties:',
      `  - { name: "${GLOBEX}", role: vendor, keys: ["${globex.vkey}"] }`,
      `  - { name: Audit, role: auditor, keys: ["${auditor.vkey}"] }`,
      `  - { name: Example Telecom, role: operator, keys: ["${operator.vkey}"] }`,
      `log: { key: "${logKey.vkey}" }`,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'trust.yaml'), trustText);
    const trust = parseTrustFile(trustText, 'trust.yaml');
    const now = new Date('2026-06-01T00:00:00Z');
    const promise = agreement(GLOBEX, [...ALL_CLAUSES]);
    if (promise.predicateType !== AGREEMENT_PREDICATE_TYPE) throw new Error('not an agreement');
    const signedPromise: Statement = {
      ...promise,
      predicate: {
        ...promise.predicate,
        parties: { vendor: { name: GLOBEX, key: keyHandle(globex) } },
      },
    };
    const released = signStatement(release(GLOBEX, '1'.repeat(64)), globex);
    const log = await openLog({ dataDir: join(dir, 'log'), signer: logKey });
    for (const envelope of [
      signStatement(signedPromise, globex),
      released,
      signStatement(deployment('globex-1', GLOBEX, 'e'.repeat(64)), operator),
      addSignature(released, auditor),
    ]) {
      await log.sequencer.add(acceptStatement(serializeEnvelope(envelope), trust, { now }).entry);
    }
    await log.close();
    writeFileSync(
      join(dir, 'nospy.yaml'),
      'trust: trust.yaml\ncheck:\n  log: log\n  date: 2026-06-01\n',
    );

    const run = await runCli(['check', '--config', join(dir, 'nospy.yaml'), '--json'], {
      cwd: dir,
    });
    const report = JSON.parse(run.stdout) as Report;
    expect(report.inputs.statements).toBe(3);
    const absence = report.findings
      .flatMap((f) => f.evidence)
      .find((e): e is Extract<Evidence, { type: 'absence' }> => e.type === 'absence');
    expect(absence?.releases?.map((r) => r.index)).toEqual([1]);

    const file = join(dir, 'absence.json');
    writeFileSync(file, JSON.stringify(absence));
    const verified = await runCli([
      '--json',
      'verify',
      file,
      '--trust',
      join(dir, 'trust.yaml'),
      '--now',
      '2026-06-01T00:00:00Z',
      '--log',
      join(dir, 'log'),
    ]);
    const out = JSON.parse(verified.stdout) as { checks: { id: string; status: string }[] };
    expect(out.checks.find((c) => c.id === 'complete')?.status).toBe('pass');
    expect(verified.code).toBe(0);
  });
});
