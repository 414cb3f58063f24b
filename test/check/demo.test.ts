import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/check/index.js';
import { parseVerifierKey } from '../../src/tlog/note-key.js';
import { verifyTlogProof } from '../../src/tlog/proof-bundle.js';
import { runCli } from '../helpers/run-cli.js';

const config = fileURLToPath(new URL('../../examples/demo/nospy.yaml', import.meta.url));

describe('the demo world', () => {
  it('is built through the real paths and nospy check reports exactly the planted findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-demo-'));
    copyFileSync(config, join(dir, 'nospy.yaml'));
    const init = await runCli(['demo', 'init', '--data', 'data'], { cwd: dir });
    expect(init.code).toBe(0);
    const again = await runCli(['demo', 'init', '--data', 'data', '--json'], { cwd: dir });
    expect(JSON.parse(again.stdout)).toMatchObject({ built: false });

    const result = await runCli(['check', '--config', join(dir, 'nospy.yaml'), '--json'], {
      cwd: dir,
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    const pairs = report.findings
      .map((f) => `${f.kind} ${f.subject.device ?? f.subject.vendor ?? f.subject.release ?? ''}`)
      .sort();
    expect(pairs).toEqual([
      'canary-lapsed Globex Telecom Systems',
      'firmware-backdoor-indicator Globex Telecom Systems',
      'firmware-backdoor-indicator Globex Telecom Systems',
      'firmware-not-logged globex-r2',
      'policy-violation hikvision, huawei',
      'policy-violation huawei',
      'unapproved-access globex-r1',
      'undeclared-traffic globex-r1',
    ]);
    const logKey = parseVerifierKey(
      readFileSync(join(dir, 'data', 'keys', 'log.vkey'), 'utf8').trim(),
    );
    let proved = 0;
    for (const f of report.findings) {
      for (const e of f.evidence) {
        if (e.type !== 'statement') continue;
        expect(
          verifyTlogProof(e.tlogProof, { entry: Buffer.from(e.envelope, 'utf8') }, logKey).index,
        ).toBe(e.index);
        proved++;
      }
    }
    expect(proved).toBeGreaterThan(5);
  });
});
