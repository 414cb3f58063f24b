/**
 * `nospy check --evidence <dir>` on the demo world, and `nospy verify` on what it writes: every
 * finding file verifies with only the trust file; a finding cut out of `check --json` verifies
 * too; and changing any bound value of any file (a digest, a signature, an index, a proof line, a
 * checkpoint, a cosignature, the logged inventory, a pack digest, a flow sample) makes it fail.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/check/index.js';
import { runCli } from '../helpers/run-cli.js';
import { demoCopy, removeCopies, type DemoCopy } from './tamper-support.js';

afterAll(removeCopies);

type Json = Record<string, unknown>;
interface Mutation {
  readonly label: string;
  readonly apply: (file: Json) => void;
}

let copy: DemoCopy;
let report: Report;
let dir: string;
let trust: string;
const scratch = mkdtempSync(join(tmpdir(), 'nospy-finding-evidence-'));

beforeAll(async () => {
  copy = await demoCopy();
  dir = join(copy.dir, 'evidence');
  trust = join(copy.data, 'trust.yaml');
  const run = await runCli(
    [
      'check',
      '--config',
      copy.config,
      '--json',
      '--evidence',
      dir,
      '--state',
      join(scratch, 'state.json'),
    ],
    { cwd: copy.dir },
  );
  expect(run.stderr).toBe('');
  expect(run.code).toBe(1);
  report = JSON.parse(run.stdout) as Report;
}, 120_000);

async function verify(file: string, ...extra: string[]) {
  const run = await runCli(['verify', '--trust', trust, '--json', ...extra, file], {
    cwd: copy.dir,
  });
  return {
    code: run.code,
    stderr: run.stderr,
    result: run.stdout === '' ? undefined : (JSON.parse(run.stdout) as { failed: string[] }),
  };
}

/** The extra arguments a finding's flow samples need to be compared (the operator's flow file). */
function flowsFor(finding: Finding): string[] {
  return finding.evidence.some((e) => e.type === 'flows')
    ? ['--flows', join(copy.data, 'flows.ndjson')]
    : [];
}

describe('nospy check --evidence on the demo world', () => {
  it('writes one nospy-finding/v1 file per finding, named by its id', () => {
    expect(readdirSync(dir).sort()).toEqual(report.findings.map((f) => `${f.id}.json`).sort());
    for (const f of report.findings) {
      const file = JSON.parse(readFileSync(join(dir, `${f.id}.json`), 'utf8')) as Json;
      expect(file.format).toBe('nospy-finding/v1');
      expect(file.evaluatedAt).toBe(report.evaluatedAt);
      expect(file.finding).toEqual(f);
    }
  });

  it('gives the policy violations the logged inventory, the packs and the day as evidence', () => {
    const policy = report.findings.filter((f) => f.kind === 'policy-violation');
    expect(policy).toHaveLength(2);
    for (const f of policy) {
      const part = f.evidence.find((e) => e.type === 'policy');
      if (part?.type !== 'policy') throw new Error('no policy evidence');
      expect(part.logged?.date).toBe('2026-06-01');
      expect(part.logged?.inventory.index).toBe(18);
      expect(part.logged?.packs.map((p) => p.id).sort()).toEqual([
        'uk-tsa-huawei-dvd',
        'us-ndaa-889',
      ]);
    }
  });

  it('has every file accepted by nospy verify with only the trust file', async () => {
    for (const f of report.findings) {
      const { code, result, stderr } = await verify(join(dir, `${f.id}.json`));
      expect(code, `${f.id}: ${JSON.stringify(result)}${stderr}`).toBe(0);
    }
  });

  it('accepts each finding cut out of check --json, with the blob store for the logged inventory', async () => {
    for (const f of report.findings) {
      const file = join(scratch, `${f.id}.cut.json`);
      writeFileSync(file, JSON.stringify(f));
      const { code, result, stderr } = await verify(
        file,
        '--now',
        report.evaluatedAt,
        '--blobs',
        join(copy.data, 'log', 'blobs'),
        ...flowsFor(f),
      );
      expect(code, `${f.id}: ${JSON.stringify(result)}${stderr}`).toBe(0);
    }
  });

  it('refuses a cut-out policy finding whose logged inventory is nowhere at hand', async () => {
    const f = report.findings.find((x) => x.kind === 'policy-violation');
    const file = join(scratch, 'policy-without-blobs.json');
    writeFileSync(file, JSON.stringify(f));
    const { code, result } = await verify(file);
    expect(code).toBe(1);
    expect(result?.failed).toEqual(['evidence[0] policy inventory-bytes']);
  });

  it("fails the pack digest when the verifier's own pack is not byte for byte the one used", async () => {
    const f = report.findings.find(
      (x) =>
        x.kind === 'policy-violation' &&
        x.breaks.type === 'rule' &&
        x.breaks.pack === 'uk-tsa-huawei-dvd',
    );
    if (f === undefined) throw new Error('no uk-tsa-huawei-dvd finding');
    const shipped = fileURLToPath(
      new URL('../../src/policy/packs/uk-tsa-huawei-dvd.yaml', import.meta.url),
    );
    const mine = join(scratch, 'uk-tsa-huawei-dvd.yaml');
    writeFileSync(mine, `${readFileSync(shipped, 'utf8')}# the regulator's copy, annotated\n`);
    const { code, result } = await verify(join(dir, `${f.id}.json`), '--pack', mine);
    expect(code).toBe(1);
    expect(result?.failed).toEqual(['evidence[0] policy pack-digest']);
  });

  it('compares the flow samples with the flow file given, and finds the lines they came from', async () => {
    const f = report.findings.find((x) => x.kind === 'undeclared-traffic');
    if (f === undefined) throw new Error('no undeclared-traffic finding');
    const { code, result } = await verify(join(dir, `${f.id}.json`), ...flowsFor(f));
    expect(code, JSON.stringify(result)).toBe(0);
  });

  it('fails every file when any bound value in it is changed, naming what failed', async () => {
    let tried = 0;
    for (const f of report.findings) {
      const original = readFileSync(join(dir, `${f.id}.json`), 'utf8');
      const mutations = mutationsOf(JSON.parse(original) as Json);
      expect(mutations.length, f.id).toBeGreaterThan(0);
      for (const m of mutations) {
        const file = JSON.parse(original) as Json;
        m.apply(file);
        const text = JSON.stringify(file, null, 2);
        expect(text, `${f.id}: ${m.label} changed nothing`).not.toBe(original.trimEnd());
        const target = join(scratch, 'mutated.json');
        writeFileSync(target, text);
        const { code, result, stderr } = await verify(target, ...flowsFor(f));
        expect(code, `${f.id}: ${m.label}: ${stderr}`).toBe(1);
        expect(result?.failed.length, `${f.id}: ${m.label}`).toBeGreaterThan(0);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(100);
  }, 300_000);
});

/** One change of each kind of value, in every part of the file that holds one. */
function mutationsOf(file: Json): Mutation[] {
  const finding = file.finding as { evidence: Json[] };
  const out: Mutation[] = [];
  finding.evidence.forEach((part, i) => {
    const at = (label: string, get: (f: Json) => Json): void => {
      out.push(...bundleMutations(`evidence[${i}]${label}`, get));
    };
    const partOf = (f: Json): Json => (f.finding as { evidence: Json[] }).evidence[i] as Json;
    switch (part.type) {
      case 'statement':
        at('', partOf);
        break;
      case 'absence': {
        const where = `evidence[${i}] absence`;
        out.push(
          {
            label: `${where} digest`,
            apply: (f) => mutateField(partOf(f), 'digest', hexFlip),
          },
          {
            label: `${where} checkpoint root`,
            apply: (f) => mutateField(partOf(f), 'checkpoint', noteRootFlip),
          },
          {
            label: `${where} checkpoint cosignature`,
            apply: (f) => mutateField(partOf(f), 'checkpoint', cosignatureFlip),
          },
          {
            label: `${where} vendor`,
            apply: (f) => mutateField(partOf(f), 'vendor', (v: string) => `${v} Holdings`),
          },
        );
        const releases = part.releases as Json[];
        releases.forEach((_, r) => {
          const release = (f: Json): Json => (partOf(f).releases as Json[])[r] as Json;
          out.push(
            {
              label: `${where} releases[${r}] signature`,
              apply: (f) =>
                mutateField(release(f), 'envelope', (text) => {
                  const envelope = JSON.parse(text) as Json;
                  signatureFlip(envelope);
                  return JSON.stringify(envelope);
                }),
            },
            {
              label: `${where} releases[${r}] index`,
              apply: (f) => mutateField(release(f), 'index', (n: number) => n + 1),
            },
            {
              label: `${where} releases[${r}] proof line`,
              apply: (f) => mutateField(release(f), 'tlogProof', proofHashFlip),
            },
          );
        });
        break;
      }
      case 'policy': {
        const where = `evidence[${i}] policy`;
        const logged = (f: Json): Json => partOf(f).logged as Json;
        at(' logged.inventory', (f) => logged(f).inventory as Json);
        out.push(
          {
            label: `${where} pack digest`,
            apply: (f) => mutateField((logged(f).packs as Json[])[0] as Json, 'sha256', hexFlip),
          },
          {
            label: `${where} registry digest`,
            apply: (f) => mutateField(logged(f), 'registry', hexFlip),
          },
          {
            label: `${where} date`,
            apply: (f) => mutateField(logged(f), 'date', () => '2021-01-01'),
          },
          {
            label: `${where} items`,
            apply: (f) => mutateField(partOf(f), 'items', (items: string[]) => items.slice(1)),
          },
          {
            label: `${where} rule`,
            apply: (f) => mutateField(partOf(f), 'rule', (rule: string) => `${rule}-x`),
          },
          {
            label: `${where} the logged inventory's bytes`,
            apply: (f) => {
              const blobs = f.blobs as Record<string, string>;
              const [key] = Object.keys(blobs);
              if (key === undefined) throw new Error('no blob');
              const bytes = Buffer.from(blobs[key] ?? '', 'base64');
              bytes[bytes.length - 2] = (bytes[bytes.length - 2] ?? 0) ^ 1;
              blobs[key] = bytes.toString('base64');
            },
          },
        );
        break;
      }
      case 'flows': {
        const where = `evidence[${i}] flows`;
        out.push(
          {
            label: `${where} a record's byte count`,
            apply: (f) =>
              mutateField((partOf(f).records as Json[])[0] as Json, 'bytes', (n: number) => n + 1),
          },
          {
            label: `${where} an origin's offset`,
            apply: (f) =>
              mutateField((partOf(f).origins as Json[])[0] as Json, 'offset', (n: number) => n + 1),
          },
          {
            label: `${where} an origin's file digest`,
            apply: (f) => mutateField((partOf(f).origins as Json[])[0] as Json, 'sha256', hexFlip),
          },
        );
        break;
      }
    }
  });
  return out;
}

/** The changes of a statement bundle: its signature, a digest it signs, its index, its proof. */
function bundleMutations(where: string, get: (f: Json) => Json): Mutation[] {
  return [
    { label: `${where} signature`, apply: (f) => signatureFlip(get(f).envelope as Json) },
    {
      label: `${where} a digest in the signed payload`,
      apply: (f) =>
        mutateField(get(f).envelope as Json, 'payload', (payload: string) => {
          const text = Buffer.from(payload, 'base64').toString('utf8');
          const changed = text.replace(
            /"sha256":"([0-9a-f])/,
            (_, c: string) => `"sha256":"${c === '0' ? '1' : '0'}`,
          );
          if (changed === text) throw new Error(`${where}: no digest in the payload`);
          return Buffer.from(changed, 'utf8').toString('base64');
        }),
    },
    {
      label: `${where} index`,
      apply: (f) => mutateField(get(f), 'index', (n: number) => n + 1),
    },
    {
      label: `${where} proof line`,
      apply: (f) => mutateField(get(f), 'proof', proofHashFlip),
    },
    {
      label: `${where} proof's leaf index`,
      apply: (f) =>
        mutateField(get(f), 'proof', (proof: string) =>
          proof.replace(/^index (\d+)$/m, (_, n: string) => `index ${Number(n) + 1}`),
        ),
    },
    {
      label: `${where} checkpoint root`,
      apply: (f) =>
        mutateField(get(f), 'proof', (proof: string) => {
          const cut = proof.indexOf('\n\n');
          return proof.slice(0, cut + 2) + noteRootFlip(proof.slice(cut + 2));
        }),
    },
    {
      label: `${where} witness cosignature`,
      apply: (f) => mutateField(get(f), 'proof', cosignatureFlip),
    },
  ];
}

/** Changes one field in place (a field that is not there is a broken test, not a pass). */
function mutateField(object: Json, key: string, change: (value: never) => unknown): Json {
  if (!(key in object)) throw new Error(`no field ${key}`);
  object[key] = change(object[key] as never);
  return object;
}

function hexFlip(hex: string): string {
  const at = hex.startsWith('sha256:') ? 7 : 0;
  return `${hex.slice(0, at)}${hex[at] === '0' ? '1' : '0'}${hex.slice(at + 1)}`;
}

/** One base64 character changed in the middle (still base64, other bytes). */
function base64Flip(text: string): string {
  const at = Math.floor(text.length / 2);
  return `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
}

function signatureFlip(envelope: Json): Json {
  const signature = (envelope.signatures as Json[])[0] as Json;
  signature.sig = base64Flip(signature.sig as string);
  return envelope;
}

/** The first hash line of a tlog-proof (after its `index` line) changed. */
function proofHashFlip(proof: string): string {
  const lines = proof.split('\n');
  const at = lines.findIndex((l) => l.startsWith('index ')) + 1;
  if (at === 0 || lines[at] === '') {
    // A one-leaf tree has no hashes: change the index instead.
    return proof.replace(/^index (\d+)$/m, (_, n: string) => `index ${Number(n) + 1}`);
  }
  lines[at] = base64Flip(lines[at] ?? '');
  return lines.join('\n');
}

/** The root hash line (the third) of a checkpoint note changed. */
function noteRootFlip(note: string): string {
  const lines = note.split('\n');
  lines[2] = base64Flip(lines[2] ?? '');
  return lines.join('\n');
}

/** The witness's cosignature line changed (the last signature line of the note). */
function cosignatureFlip(text: string): string {
  const lines = text.split('\n');
  const at = lines.findLastIndex((l) => l.startsWith('— witness'));
  if (at < 0) throw new Error('no witness cosignature');
  const line = lines[at] ?? '';
  const space = line.lastIndexOf(' ');
  lines[at] = `${line.slice(0, space + 1)}${base64Flip(line.slice(space + 1))}`;
  return lines.join('\n');
}
