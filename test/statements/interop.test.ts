import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { addSignature, serializeEnvelope } from '../../src/statements/dsse.js';
import { loadPrivateKeyFile, loadStatementFile } from '../../src/statements/files.js';
import { signStatement } from '../../src/statements/sign.js';
import { keyHandle } from '../../src/tlog/note-key.js';
import { requireTools, toolPath } from '../helpers/require-tools.js';

// The first python3 on PATH that has python3-cryptography (pyenv's may come first without it).
requireTools('python3-cryptography');
const script = fileURLToPath(new URL('dsse_verify.py', import.meta.url));
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const acme = loadPrivateKeyFile(`${examples}keys/example-acme-vendor.key`);
const telco = loadPrivateKeyFile(`${examples}keys/example-telco-operator.key`);
const dir = mkdtempSync(join(tmpdir(), 'nospy-interop-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function pythonVerify(
  envelope: Buffer,
  vkeys: readonly string[],
): { code: number | null; out: { verified: string[]; failed: string[] } } {
  const file = join(dir, `env-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(file, envelope);
  const python = toolPath('python3-cryptography') ?? 'python3';
  const run = spawnSync(python, [script, file, ...vkeys], { encoding: 'utf8' });
  if (run.error !== undefined || run.stderr !== '')
    throw new Error(`python failed: ${run.stderr || String(run.error)}`);
  return {
    code: run.status,
    out: JSON.parse(run.stdout) as { verified: string[]; failed: string[] },
  };
}

describe('when an envelope nospy signed is checked by an independent DSSE verifier (Python cryptography)', () => {
  it.each(['agreement', 'release', 'access', 'deployment', 'canary', 'rebuild'])(
    'the %s statement verifies with both signatures',
    (name) => {
      const statement = loadStatementFile(`${examples}statements/${name}.yaml`).statement;
      const envelope = serializeEnvelope(addSignature(signStatement(statement, acme), telco));
      const { code, out } = pythonVerify(envelope, [acme.vkey, telco.vkey]);
      expect(out).toEqual({
        payloadType: 'application/vnd.in-toto+json',
        verified: [keyHandle(acme), keyHandle(telco)],
        failed: [],
      });
      expect(code).toBe(0);
    },
  );

  it('and the same verifier rejects it when one payload byte is changed', () => {
    const statement = loadStatementFile(`${examples}statements/release.yaml`).statement;
    const json = JSON.parse(serializeEnvelope(signStatement(statement, acme)).toString()) as {
      payload: string;
    };
    const payload = Buffer.from(json.payload, 'base64');
    payload[10] = payload[10]! ^ 1;
    const tampered = Buffer.from(JSON.stringify({ ...json, payload: payload.toString('base64') }));
    const { code, out } = pythonVerify(tampered, [acme.vkey]);
    expect(out.failed).toHaveLength(1);
    expect(code).toBe(1);
  });
});
