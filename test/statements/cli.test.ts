import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const keys = `${examples}keys/`;
const trust = `${examples}statements/trust.yaml`;
const dir = mkdtempSync(join(tmpdir(), 'nospy-statement-cli-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const NOW = ['--now', '2026-05-01T00:00:00Z'];

async function signExample(name: string, key: string): Promise<string> {
  const out = join(dir, `${name}.json`);
  const run = await runCli([
    'statement',
    'sign',
    '--key',
    `${keys}${key}.key`,
    `${examples}statements/${name}.yaml`,
    '--out',
    out,
  ]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return out;
}

describe('nospy statement sign / cosign / verify', () => {
  it('signs the access grant, fails verification (exit 1) until the operator cosigns, then passes (exit 0)', async () => {
    const env = await signExample('access', 'example-acme-vendor');
    const before = await runCli(['statement', 'verify', env, '--trust', trust, ...NOW]);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain(
      'FAIL signer: access grant "GRANT-2026-0042" is missing its operator signature',
    );

    const cosign = await runCli([
      'statement',
      'cosign',
      '--key',
      `${keys}example-telco-operator.key`,
      env,
    ]);
    expect(cosign.code).toBe(0);
    const after = await runCli(['--json', 'statement', 'verify', env, '--trust', trust, ...NOW]);
    expect(after.code).toBe(0);
    const result = JSON.parse(after.stdout) as {
      valid: boolean;
      signers: { party: string }[];
      checks: { id: string; status: string }[];
    };
    expect(result.valid).toBe(true);
    expect(result.signers.map((s) => s.party)).toEqual(['acme', 'telco']);
    expect(result.checks.every((c) => c.status === 'pass')).toBe(true);
  });

  it.each([
    ['agreement', 'example-acme-vendor', 'example-telco-operator'],
    ['release', 'example-acme-vendor', undefined],
    ['deployment', 'example-telco-operator', undefined],
    ['canary', 'example-acme-vendor', undefined],
  ] as const)(
    'signs the example %s and verifies it against the example trust file',
    async (name, key, cosigner) => {
      const env = await signExample(name, key);
      if (cosigner !== undefined) {
        expect(
          (await runCli(['statement', 'cosign', '--key', `${keys}${cosigner}.key`, env])).code,
        ).toBe(0);
      }
      const run = await runCli(['statement', 'verify', env, '--trust', trust, ...NOW]);
      expect(run.stdout).toContain(`valid ${name} statement`);
      expect(run.code).toBe(0);
    },
  );

  it('prints the envelope on stdout without --out', async () => {
    const run = await runCli([
      'statement',
      'sign',
      '--key',
      `${keys}example-acme-vendor.key`,
      `${examples}statements/release.yaml`,
    ]);
    expect(run.code).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout) as object)).toEqual([
      'payload',
      'payloadType',
      'signatures',
    ]);
  });

  it('verifies with --vkey, skipping the signing rules', async () => {
    const env = await signExample('release', 'example-acme-vendor');
    const vkey = readFileSync(`${keys}example-acme-vendor.vkey`, 'utf8').trim();
    const run = await runCli(['statement', 'verify', env, '--vkey', vkey]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('skip signer: signing rules not checked');
  });

  it('exits 1 naming the expired agreement', async () => {
    const env = await signExample('agreement', 'example-acme-vendor');
    await runCli(['statement', 'cosign', '--key', `${keys}example-telco-operator.key`, env]);
    const run = await runCli([
      'statement',
      'verify',
      env,
      '--trust',
      trust,
      '--now',
      '2030-01-01T00:00:00Z',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'FAIL validity: agreement "ACME-TELCO-2026-001" expired: valid until 2028-12-31',
    );
  });

  it('exits 1 naming the signature when a payload byte was changed', async () => {
    const env = await signExample('release', 'example-acme-vendor');
    const json = JSON.parse(readFileSync(env, 'utf8')) as { payload: string };
    const payload = Buffer.from(json.payload, 'base64');
    payload[20] = payload[20]! ^ 0x01;
    writeFileSync(env, JSON.stringify({ ...json, payload: payload.toString('base64') }));
    const run = await runCli(['statement', 'verify', env, '--trust', trust]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /FAIL signature: signature 0 by example-acme-vendor\+[0-9a-f]{8} \(vendor "acme"\) does not verify/,
    );
  });

  it('exits 2 for an unreadable or malformed envelope, naming the file', async () => {
    const missing = await runCli(['statement', 'verify', join(dir, 'nope.json'), '--trust', trust]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: cannot read the envelope');
    const broken = join(dir, 'broken.json');
    writeFileSync(
      broken,
      '{"payload":"e30=","payloadType":"x","signatures":[{"keyid":"k","sig":"AAAA"}]}',
    );
    const malformed = await runCli(['statement', 'verify', broken, '--trust', trust]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('signatures[0].sig is 3 bytes');
  });

  it('exits 2 for a statement file with an error, naming file:line:column', async () => {
    const file = join(dir, 'bad.yaml');
    copyFileSync(`${examples}statements/deployment.yaml`, file);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('method: ssh-show-version', 'method: guess'),
    );
    const run = await runCli([
      'statement',
      'sign',
      '--key',
      `${keys}example-telco-operator.key`,
      file,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.yaml:\d+:1: method: Invalid option/);
  });

  it('refuses to cosign twice with the same key (exit 2)', async () => {
    const env = await signExample('release', 'example-acme-vendor');
    const run = await runCli([
      'statement',
      'cosign',
      '--key',
      `${keys}example-acme-vendor.key`,
      env,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('already carries a signature by example-acme-vendor+');
  });

  it('asks for exactly one of --trust or --vkey (exit 2)', async () => {
    const env = await signExample('release', 'example-acme-vendor');
    expect((await runCli(['statement', 'verify', env])).code).toBe(2);
  });
});
