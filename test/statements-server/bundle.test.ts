import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatBundle,
  parseBundle,
  verifyBundle,
  type EvidenceBundle,
} from '../../src/statements/bundle.js';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import { runCli } from '../helpers/run-cli.js';
import { signedExample, startServer, tempDir, type RunningServer } from './helpers.js';

let temp: ReturnType<typeof tempDir>;
let server: RunningServer;
let bundle: EvidenceBundle;

beforeAll(async () => {
  temp = tempDir();
  server = await startServer({ dir: temp.dir });
  for (const name of ['release', 'canary', 'deployment'] as const) {
    writeFileSync(join(temp.dir, `${name}.json`), serializeEnvelope(signedExample(name)));
  }
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

const file = (name: string): string => join(temp.dir, name);

describe('nospy statement publish / bundle / verify', () => {
  it('publishes an envelope, printing its index and leaf hash, and writes its bundle with --out', async () => {
    const run = await runCli([
      'statement',
      'publish',
      '--server',
      server.url,
      file('release.json'),
      '--out',
      file('release.bundle.json'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^index 0\nleaf hash [0-9a-f]{64}\nbundle /);
    bundle = parseBundle(readFileSync(file('release.bundle.json')));
  });

  it('fetches the bundle of an already published envelope, which verifies offline (exit 0)', async () => {
    await runCli(['statement', 'publish', '--server', server.url, file('canary.json')]);
    const run = await runCli([
      'bundle',
      '--server',
      server.url,
      file('canary.json'),
      '--out',
      file('canary.bundle.json'),
    ]);
    expect(run.code).toBe(0);
    const index = /bundle for log index (\d+) written/.exec(run.stdout)?.[1];
    expect(index).toBeDefined();
    await server.close();
    const verify = await runCli([
      'verify',
      file('canary.bundle.json'),
      '--trust',
      server.trustFile,
    ]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`valid evidence: canary statement at log index ${index}`);
    const json = await runCli([
      '--json',
      'verify',
      file('release.bundle.json'),
      '--trust',
      server.trustFile,
    ]);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { valid: boolean; index: number }).index).toBe(0);
  });

  it('refuses to bundle an envelope the log does not hold', async () => {
    const other = await startServer({ dir: join(temp.dir, 'other') });
    try {
      const run = await runCli([
        'bundle',
        '--server',
        other.url,
        file('deployment.json'),
        '--out',
        file('x.json'),
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('does not hold this envelope');
    } finally {
      await other.close();
    }
  });

  it('exits 1 naming each failed check when the bundle verifies against another log key', async () => {
    const other = join(temp.dir, 'other', 'trust.yaml');
    const run = await runCli(['verify', file('release.bundle.json'), '--trust', other]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('NOT valid: failed checkpoint-signature');
  });

  it('exits 2 for a bundle that cannot be read', async () => {
    writeFileSync(file('broken.json'), '{"format":"nospy-evidence/v1"');
    const run = await runCli(['verify', file('broken.json'), '--trust', server.trustFile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('STATEMENT_BUNDLE_INVALID');
  });
});

/** Flips one bit of one byte of a part of the bundle, keeping the bundle readable. */
function tampered(
  original: EvidenceBundle,
  part: number,
  at: number,
  bit: number,
): EvidenceBundle | undefined {
  const { envelope, proof } = original;
  const flip = (bytes: Buffer): Buffer => {
    const copy = Buffer.from(bytes);
    const i = at % copy.length;
    copy[i] = (copy[i] ?? 0) ^ (1 << bit);
    return copy;
  };
  switch (part) {
    case 0:
      return { envelope: { ...envelope, payload: flip(envelope.payload) }, proof };
    case 1: {
      const type = flip(Buffer.from(envelope.payloadType, 'utf8')).toString('latin1');
      return { envelope: { ...envelope, payloadType: type }, proof };
    }
    case 2: {
      const [first, ...rest] = envelope.signatures;
      if (first === undefined) return undefined;
      return {
        envelope: { ...envelope, signatures: [{ ...first, sig: flip(first.sig) }, ...rest] },
        proof,
      };
    }
    default: {
      const text = flip(Buffer.from(proof, 'latin1')).toString('latin1');
      // A flip that makes the proof unreadable must be reported too: parse through the file form.
      return { envelope, proof: text };
    }
  }
}

describe('tampering with an evidence bundle', () => {
  test.prop([fc.integer({ min: 0, max: 3 }), fc.nat(), fc.integer({ min: 0, max: 7 })], {
    numRuns: 200,
  })(
    'is detected for any byte of the payload, its type, a signature or the proof',
    (part, at, bit) => {
      const changed = tampered(bundle, part, at, bit);
      if (changed === undefined) return;
      let text: string;
      try {
        text = formatBundle(changed);
      } catch {
        return; // the change made the envelope unwritable: nothing to verify
      }
      let parsed: EvidenceBundle;
      try {
        parsed = parseBundle(text);
      } catch {
        return; // unreadable: `nospy verify` exits 2
      }
      const result = verifyBundle(parsed, server.trust, { now: new Date() });
      expect(result.valid).toBe(false);
      expect(result.checks.some((c) => c.status === 'fail')).toBe(true);
    },
  );

  it('names the inclusion and signature checks when one payload byte changes', () => {
    const changed = tampered(bundle, 0, 10, 0);
    if (changed === undefined) throw new Error('no bundle');
    const failed = verifyBundle(changed, server.trust, { now: new Date() })
      .checks.filter((c) => c.status === 'fail')
      .map((c) => c.id);
    expect(failed).toContain('signature');
    expect(failed).toContain('inclusion');
  });
});
