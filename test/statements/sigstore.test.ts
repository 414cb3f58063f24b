/**
 * Sigstore's own verifier accepts nospy's statements: every statement of the demo log, bundled by
 * `nospy bundle --format sigstore`, verifies offline with @sigstore/verify given only what
 * `nospy trusted-root` wrote from the trust file; a changed payload byte, a wrong log key and a
 * wrong signer key each fail with the verifier's own error. The same bundles verify with
 * `nospy verify`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, VerificationError } from '@sigstore/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DATE } from '../../src/demo/world.js';
import { StatementClient, type ListedStatement } from '../../src/statements/client.js';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import { generateNoteKey, keyHandle } from '../../src/tlog/note-key.js';
import { ed25519Spki } from '../../src/statements/sigstore/rekor-dsse.js';
import { startDemoServer, type DemoServer } from '../helpers/demo-server.js';
import { runCli } from '../helpers/run-cli.js';

let demo: DemoServer;
let statements: ListedStatement[];
const file = (name: string): string => join(demo.dir, name);
const trustFile = (): string => join(demo.dir, 'data', 'trust.yaml');

beforeAll(async () => {
  demo = await startDemoServer();
  statements = (await new StatementClient(demo.url).list({ limit: 1000 })).statements;
  const written = await runCli([
    'trusted-root',
    '--trust',
    trustFile(),
    '--out',
    file('trusted_root.json'),
    '--keys',
    file('keys.json'),
  ]);
  expect(written.stderr).toBe('');
  expect(written.code).toBe(0);
}, 240_000);
afterAll(async () => {
  await demo.close();
});

/** Writes the Sigstore bundle of statement `s` (its signature by `signer`) and returns its path. */
async function bundleOf(s: ListedStatement, signer?: string): Promise<string> {
  const envelopeFile = file(`statement-${s.index}.json`);
  writeFileSync(envelopeFile, serializeEnvelope(s.envelope));
  const out = file(`statement-${s.index}${signer === undefined ? '' : `-${signer}`}.sigstore.json`);
  const run = await runCli([
    'bundle',
    '--server',
    demo.url,
    envelopeFile,
    '--format',
    'sigstore',
    '--out',
    out,
    ...(signer === undefined ? [] : ['--signer', signer]),
  ]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return out;
}

interface Material {
  readonly root: unknown;
  readonly keys: Record<string, string>;
}

function writtenMaterial(): Material {
  return {
    root: JSON.parse(readFileSync(file('trusted_root.json'), 'utf8')),
    keys: JSON.parse(readFileSync(file('keys.json'), 'utf8')) as Record<string, string>,
  };
}

/** @sigstore/verify, offline: the trusted root and the signers' keys, nothing fetched. */
function sigstoreVerify(bundleJson: unknown, material: Material): void {
  const bundle = bundleFromJSON(bundleJson);
  const keys = Object.fromEntries(
    Object.entries(material.keys).map(([hint, spki]) => [
      hint,
      { rawBytes: Buffer.from(spki, 'base64'), keyDetails: PublicKeyDetails.PKIX_ED25519 },
    ]),
  );
  const trust = toTrustMaterial(TrustedRoot.fromJSON(material.root), keys);
  // No timestamp: nospy signs no entry timestamp and its keys have no certificate window
  // (docs/statements.md, "Sigstore bundles").
  new Verifier(trust, { timestampThreshold: 0 }).verify(toSignedEntity(bundle));
}

function sigstoreError(bundleJson: unknown, material: Material): VerificationError {
  try {
    sigstoreVerify(bundleJson, material);
  } catch (error) {
    if (error instanceof VerificationError) return error;
    throw error;
  }
  throw new Error('the Sigstore verifier accepted it');
}

const singleSigned = (): ListedStatement[] =>
  statements.filter((s) => s.envelope.signatures.length === 1);

describe('nospy bundle --format sigstore on the demo log', () => {
  it('has single-signature statements of every predicate but the two that need two parties', () => {
    const all = new Set(statements.map((s) => s.type));
    const single = new Set(singleSigned().map((s) => s.type));
    expect([...all].filter((t) => !single.has(t)).sort()).toEqual(['access', 'agreement']);
    expect(single.size).toBeGreaterThanOrEqual(4);
  });

  it('writes a bundle of every single-signature statement that @sigstore/verify accepts offline', async () => {
    const material = writtenMaterial();
    for (const s of singleSigned()) {
      const json: unknown = JSON.parse(readFileSync(await bundleOf(s), 'utf8'));
      expect(() => {
        sigstoreVerify(json, material);
      }, `statement ${s.index} (${s.type})`).not.toThrow();
    }
  });

  describe('of a statement two parties signed', () => {
    it('bundles each signature, which @sigstore/verify accepts on its own', async () => {
      const material = writtenMaterial();
      const multi = statements.filter((s) => s.envelope.signatures.length > 1);
      expect(multi.length).toBeGreaterThan(0);
      for (const s of multi) {
        for (const signature of s.envelope.signatures) {
          const json: unknown = JSON.parse(
            readFileSync(await bundleOf(s, signature.keyid), 'utf8'),
          );
          sigstoreVerify(json, material);
        }
      }
    });

    it('but nospy verify finds that one signer is missing (exit 1, signer)', async () => {
      const s = statements.find((x) => x.type === 'access');
      const signer = s?.envelope.signatures[0]?.keyid;
      if (s === undefined || signer === undefined) throw new Error('no access grant in the demo');
      const run = await runCli([
        '--json',
        'verify',
        await bundleOf(s, signer),
        '--trust',
        trustFile(),
        '--now',
        `${DEMO_DATE}T12:00:00Z`,
      ]);
      expect(run.code).toBe(1);
      expect((JSON.parse(run.stdout) as { failed: string[] }).failed).toEqual(['signer']);
    });

    it('refuses to guess which signature to bundle without --signer (exit 2)', async () => {
      const s = statements.find((x) => x.type === 'access');
      if (s === undefined) throw new Error('no access grant in the demo');
      writeFileSync(file('access.json'), serializeEnvelope(s.envelope));
      const run = await runCli([
        'bundle',
        '--server',
        demo.url,
        file('access.json'),
        '--format',
        'sigstore',
        '--out',
        file('access.sigstore.json'),
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--signer');
    });
  });

  it('and the same bundles verify with nospy verify (exit 0)', async () => {
    for (const s of singleSigned()) {
      const run = await runCli([
        '--json',
        'verify',
        file(`statement-${s.index}.sigstore.json`),
        '--trust',
        trustFile(),
        '--now',
        `${DEMO_DATE}T12:00:00Z`,
      ]);
      expect(run.code, `${s.index} ${s.type}: ${run.stdout}`).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ valid: true, predicate: s.type });
    }
  });

  describe('when a byte of the payload is changed', () => {
    it('fails in @sigstore/verify with its own error, and in nospy verify', async () => {
      const [s] = singleSigned();
      if (s === undefined) throw new Error('no single-signature statement');
      const json = JSON.parse(readFileSync(file(`statement-${s.index}.sigstore.json`), 'utf8')) as {
        dsseEnvelope: { payload: string };
      };
      const payload = Buffer.from(json.dsseEnvelope.payload, 'base64');
      const at = payload.length - 2;
      payload.writeUInt8((payload[at] ?? 0) ^ 0x01, at);
      json.dsseEnvelope.payload = payload.toString('base64');
      expect(sigstoreError(json, writtenMaterial())).toMatchObject({
        code: 'TLOG_BODY_ERROR',
        message: 'DSSE payload hash mismatch',
      });
      writeFileSync(file('tampered.sigstore.json'), JSON.stringify(json));
      const run = await runCli([
        '--json',
        'verify',
        file('tampered.sigstore.json'),
        '--trust',
        trustFile(),
        '--now',
        `${DEMO_DATE}T12:00:00Z`,
      ]);
      expect(run.code).toBe(1);
      expect((JSON.parse(run.stdout) as { failed: string[] }).failed).toEqual(
        expect.arrayContaining(['signature', 'sigstore-entry']),
      );
    });
  });

  describe('when the trusted root names another log key', () => {
    it('fails in @sigstore/verify: the checkpoint signature does not verify', () => {
      const [s] = singleSigned();
      if (s === undefined) throw new Error('no single-signature statement');
      const json: unknown = JSON.parse(
        readFileSync(file(`statement-${s.index}.sigstore.json`), 'utf8'),
      );
      const material = writtenMaterial();
      // Same name, hence the same origin and baseUrl; another key, so another key ID too. The
      // key ID is kept as the log's own, so the verifier does find the log and checks the key.
      const other = generateNoteKey(
        (material.root as { tlogs: [{ baseUrl: string }] }).tlogs[0].baseUrl,
      );
      const root = structuredClone(material.root) as {
        tlogs: [{ publicKey: { rawBytes: string } }];
      };
      root.tlogs[0].publicKey.rawBytes = ed25519Spki(other.publicKey).toString('base64');
      expect(sigstoreError(json, { ...material, root })).toMatchObject({
        code: 'TLOG_INCLUSION_PROOF_ERROR',
        message: 'invalid checkpoint signature',
      });
    });
  });

  describe("when the key selector returns another key for the signer's hint", () => {
    it('fails in @sigstore/verify with SIGNATURE_ERROR', () => {
      const [s] = singleSigned();
      if (s === undefined) throw new Error('no single-signature statement');
      const json = JSON.parse(readFileSync(file(`statement-${s.index}.sigstore.json`), 'utf8')) as {
        verificationMaterial: { publicKey: { hint: string } };
      };
      const material = writtenMaterial();
      const hint = json.verificationMaterial.publicKey.hint;
      const impostor = generateNoteKey(hint.split('+')[0] ?? 'impostor');
      expect(keyHandle(impostor)).not.toBe(hint);
      const keys = { ...material.keys, [hint]: ed25519Spki(impostor.publicKey).toString('base64') };
      expect(sigstoreError(json, { ...material, keys })).toMatchObject({
        code: 'SIGNATURE_ERROR',
        message: 'signature verification failed',
      });
    });
  });
});

describe('the demo log, with its Sigstore entries', () => {
  it('verifies entry by entry and tile by tile, served and on disk (nospy log verify)', async () => {
    for (const location of [demo.url, join(demo.dir, 'data', 'log')]) {
      const run = await runCli(['--json', 'log', 'verify', location, '--trust', trustFile()]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as { size: number; entries: number };
      // Every entry, the Sigstore entries among them, hashed to its leaf in a verified tile.
      expect(report.entries).toBe(report.size);
      expect(report.size).toBeGreaterThan(statements.length);
    }
  });

  it('holds one Sigstore entry per signature of every statement', async () => {
    const client = new StatementClient(demo.url);
    const signatures = statements.reduce((n, s) => n + s.envelope.signatures.length, 0);
    let found = 0;
    for (const s of statements) {
      const { entries, missing } = await client.sigstoreEntries(s.index);
      expect(missing).toEqual([]);
      found += entries.length;
    }
    expect(found).toBe(signatures);
  });
});
