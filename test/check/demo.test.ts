import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/check/index.js';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { readFlowFile } from '../../src/flows/flow-file.js';
import { loadTrustFile, parseEnvelope } from '../../src/statements/index.js';
import { verifyTlogProof } from '../../src/tlog/proof-bundle.js';
import { runCli } from '../helpers/run-cli.js';
import { PLANTED, plantedPairs } from './demo-findings.js';
import { RELEASE_PREDICATE_TYPE } from '../../src/statements/predicates/release.js';

const config = fileURLToPath(new URL('../../examples/demo/nospy.yaml', import.meta.url));

describe('the demo world', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-demo-'));
  const data = join(dir, 'data');
  let report: Report;

  beforeAll(async () => {
    copyFileSync(config, join(dir, 'nospy.yaml'));
    const init = await runCli(['demo', 'init', '--data', 'data'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const result = await runCli(['check', '--config', join(dir, 'nospy.yaml'), '--json'], {
      cwd: dir,
    });
    expect(result.code).toBe(1);
    report = JSON.parse(result.stdout) as Report;
  });

  it('is built once: a complete world is left alone', async () => {
    const again = await runCli(['demo', 'init', '--data', 'data', '--json'], { cwd: dir });
    expect(JSON.parse(again.stdout)).toMatchObject({ built: false });
  });

  it('nospy check reports exactly the planted findings', () => {
    expect(plantedPairs(report)).toEqual(PLANTED);
    const vulnerable = report.findings.find((f) => f.kind === 'vulnerable-component');
    expect(vulnerable?.evidence[0]).toMatchObject({
      type: 'advisory',
      id: 'UBUNTU-CVE-2021-36369',
      component: 'dropbear',
      version: '2019.78-2build1',
    });
  });

  it("shows that Globex's released image is not what its source builds, and names the device", () => {
    const finding = report.findings.find((f) => f.kind === 'release-not-equivalent');
    expect(finding?.severity).toBe('critical');
    expect(finding?.explanation).toContain('Running on globex-r1.');
    const diff = finding?.evidence.find((e) => e.type === 'diff');
    if (diff?.type !== 'diff') throw new Error('no diff evidence');
    expect(diff.files?.map((f) => `${f.change} ${f.path} ${f.classification ?? '-'}`)).toEqual([
      'added /etc/init.d/S99support -',
      'content /usr/sbin/dropbear content',
      'metadata /etc/init.d/S99telemetry timestamps',
      'metadata /etc/passwd timestamps',
      'metadata /etc/shadow timestamps',
      'metadata /etc/version timestamps',
    ]);
    expect(diff.indicators?.onlyInB.map((i) => `${i.rule} ${i.path}`)).toEqual([
      'FW-SVC-010 /etc/init.d/S99support',
    ]);
    // Acme's release is attested equivalent by both evaluators: no finding of either kind.
    expect(
      report.findings.filter(
        (f) => f.kind.startsWith('release-') && f.subject.vendor === 'Acme Networks',
      ),
    ).toEqual([]);
  });

  it('proves every statement against a checkpoint the witness cosigned (quorum 1)', () => {
    const trust = loadTrustFile(join(data, 'trust.yaml'));
    expect(trust.witnesses.quorum).toBe(1);
    if (trust.log === undefined) throw new Error('the demo trust file names the log key');
    let proved = 0;
    for (const f of report.findings) {
      for (const e of f.evidence) {
        if (e.type !== 'statement') continue;
        const proof = verifyTlogProof(
          e.proof,
          { entry: Buffer.from(JSON.stringify(e.envelope), 'utf8') },
          trust.log.key,
          { witnesses: trust.witnesses.keys, quorum: 1 },
        );
        expect(proof.index).toBe(e.index);
        proved++;
      }
    }
    expect(proved).toBeGreaterThan(5);
  });

  it('gives every planted finding statement evidence that nospy verify accepts offline', async () => {
    // Policy violations rest on the operator's inventory, which the demo logs: their statement is
    // the inventory statement their policy evidence carries.
    const logged = report.findings;
    expect(logged).toHaveLength(PLANTED.length);
    for (const f of logged) {
      const statements = f.evidence.flatMap((e) =>
        e.type === 'statement'
          ? [e]
          : e.type === 'policy' && e.logged !== undefined
            ? [e.logged.inventory]
            : [],
      );
      expect(statements.length, f.id).toBeGreaterThan(0);
      for (const [i, e] of statements.entries()) {
        const bundle = join(dir, `${f.id.replace(':', '-')}-${i}.json`);
        // The statement evidence is itself an evidence bundle: saved as it comes.
        writeFileSync(bundle, JSON.stringify(e));
        const verify = await runCli(
          ['verify', '--trust', join(data, 'trust.yaml'), '--now', '2026-06-01T00:00:00Z', bundle],
          { cwd: dir },
        );
        expect(verify.code, `${f.id}: ${verify.stdout}${verify.stderr}`).toBe(0);
      }
    }
  });

  it('keeps the SBOMs and MUD files only in the blob store, by the digests the releases name', () => {
    expect(existsSync(join(data, 'sbom'))).toBe(false);
    const blobs = new FsBlobStore({ root: join(data, 'log', 'blobs') });
    const releases = report.findings
      .flatMap((f) => f.evidence)
      .filter((e) => e.type === 'statement')
      .map(
        (e) =>
          JSON.parse(Buffer.from(parseEnvelope(JSON.stringify(e.envelope)).payload).toString()) as {
            predicateType: string;
            predicate: {
              sbom?: { digest: { sha256: string } };
              mud?: { digest: { sha256: string } };
            };
          },
      )
      .filter((s) => s.predicateType === RELEASE_PREDICATE_TYPE);
    expect(releases.length).toBeGreaterThan(0);
    for (const r of releases) {
      for (const doc of [r.predicate.sbom, r.predicate.mud]) {
        const hex = doc?.digest.sha256 ?? '';
        expect(existsSync(blobs.pathOf(hex)), hex).toBe(true);
      }
    }
  });

  it('reads flows the UDP collector wrote from NetFlow v9 and IPFIX exports', async () => {
    const records = [];
    for await (const entry of readFlowFile(join(data, 'flows.ndjson'))) records.push(entry.record);
    expect(records).toHaveLength(6);
    // The exporter is the datagrams' UDP source; the domains are the two site routers'.
    expect(new Set(records.map((r) => r.exporter))).toEqual(new Set(['127.0.0.1']));
    expect(new Set(records.map((r) => r.domain))).toEqual(new Set([1, 2]));
    expect(readFileSync(join(data, 'flows.ndjson'), 'utf8')).toContain('"dport":53535');
  });
});
