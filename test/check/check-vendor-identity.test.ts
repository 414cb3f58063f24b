/**
 * Vendors named in Chinese and Cyrillic script are distinct vendors in `nospy check` on a real,
 * signed log: one's release never satisfies another's device, and one's agreement never judges
 * another's device (regression: the check's vendor key once dropped every letter outside a-z, so
 * all such names shared the empty key).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/check/index.js';
import { agreement, ALL_CLAUSES, deployment, release } from '../../src/check/test-support.js';
import { openLog } from '../../src/log/open-log.js';
import { AGREEMENT_PREDICATE_TYPE } from '../../src/statements/predicates/agreement.js';
import {
  acceptStatement,
  parseTrustFile,
  serializeEnvelope,
  signStatement,
  type Statement,
} from '../../src/statements/index.js';
import { generateNoteKey, keyHandle, type NoteSigner } from '../../src/tlog/note-key.js';
import { runCli } from '../helpers/run-cli.js';

const HUAWEI = '华为技术有限公司';
const ZTE = '中兴通讯股份有限公司';
const ROMASHKA = 'ООО «Ромашка»';
const HUAWEI_IMAGE = '1'.repeat(64);
const ROMASHKA_IMAGE = '2'.repeat(64);
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function agreementOf(vendor: string, key: NoteSigner): Statement {
  const a = agreement(vendor, [...ALL_CLAUSES]);
  if (a.predicateType !== AGREEMENT_PREDICATE_TYPE) return a;
  return {
    ...a,
    predicate: { ...a.predicate, parties: { vendor: { name: vendor, key: keyHandle(key) } } },
  };
}

describe('nospy check with vendors named in Chinese and Cyrillic script', () => {
  it("judges each vendor's devices by its own releases and agreement only", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-check-vendors-'));
    dirs.push(dir);
    const logKey = generateNoteKey('log.example');
    const huawei = generateNoteKey('huawei');
    const zte = generateNoteKey('zte');
    const operator = generateNoteKey('operator');
    const trustText = [
      'parties:',
      `  - { name: "${HUAWEI}", role: vendor, keys: ["${huawei.vkey}"] }`,
      `  - { name: "${ZTE}", role: vendor, keys: ["${zte.vkey}"] }`,
      `  - { name: Example Telecom, role: operator, keys: ["${operator.vkey}"] }`,
      `log: { key: "${logKey.vkey}" }`,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'trust.yaml'), trustText);
    const trust = parseTrustFile(trustText, 'trust.yaml');
    const now = new Date('2026-06-01T00:00:00Z');
    const log = await openLog({ dataDir: join(dir, 'log'), signer: logKey });
    // Only ZTE promises anything; Huawei releases the image a ZTE device runs; the Cyrillic-named
    // vendor has no agreement at all.
    for (const [statement, signer] of [
      [agreementOf(ZTE, zte), zte],
      [release(HUAWEI, HUAWEI_IMAGE), huawei],
      [deployment('zte-1', ZTE, HUAWEI_IMAGE), operator],
      [deployment('romashka-1', ROMASHKA, ROMASHKA_IMAGE), operator],
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
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Report;
    const notLogged = report.findings.filter((f) => f.kind === 'firmware-not-logged');
    // ZTE's device runs an image only Huawei released: that breaks ZTE's agreement (index 0).
    // The Cyrillic-named vendor's device is judged by no one's agreement: it has none.
    expect(notLogged.map((f) => [f.subject.device, f.breaks])).toEqual([
      ['zte-1', { type: 'clause', agreement: 0, clause: 'firmware-logged-before-deployment' }],
    ]);
    expect(notLogged[0]?.explanation).toContain(`logged only as a release of ${HUAWEI}`);
    expect(result.code).toBe(1);
  });
});
