/**
 * bench/check: a national-scale check, from a real log. 100,000 devices (inventory + one
 * deployment statement each, signed by the operator), 1,000 releases and two agreements (signed by
 * their vendors) are appended to a log in a temporary data directory, which the check then reads
 * as `nospy check` does. Each stage is printed beside references measured in the same run:
 *
 *   log    readLogStatements: every entry read from the store, its DSSE signature verified against
 *          the trust file, the statement's schema and signing rules checked, and its inclusion
 *          proof made -- beside reading the same entries raw from the store, and node:crypto
 *          Ed25519 verification of each statement's signature (the floor any verifier pays);
 *   rules  checkReport over the verified statements and the inventory -- beside one join of the
 *          deployments to the releases by image digest (the least the firmware rules must do);
 *   flows  one second of flows at 200,000 records/s (SAMPLED: the behaviour check is one streaming
 *          pass, linear in records, so its time is scaled by 86,400 to a day) -- beside one pass
 *          summing the records' bytes.
 *
 * NOSPY_BENCH_DEVICES sets the number of devices (default 100,000).
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { readLogStatements } from '../../src/check/gather/log.js';
import { checkReport } from '../../src/check/index.js';
import { openLog } from '../../src/log/open-log.js';
import { realisticMudSet } from '../mud/bench-set.js';
import {
  parseTrustFile,
  preAuthEncoding,
  serializeEnvelope,
  signStatement,
  type Statement,
} from '../../src/statements/index.js';
import { SqliteLogStore } from '../../src/store/sqlite/sqlite-log-store.js';
import { generateNoteKey, keyHandle, type NoteSigner } from '../../src/tlog/note-key.js';
import { AGREEMENT_PREDICATE_TYPE } from '../../src/statements/predicates/agreement.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../../src/statements/predicates/deployment.js';
import { RELEASE_PREDICATE_TYPE } from '../../src/statements/predicates/release.js';

const DEVICES = Number(process.env.NOSPY_BENCH_DEVICES ?? 100_000);
const RELEASES = 1_000;
const RECORDS_PER_SECOND = 200_000;
const VENDORS = ['Acme Networks', 'Globex Telecom Systems'] as const;
const OPERATOR = 'Op';
const hex = (n: number): string => n.toString(16).padStart(64, '0');
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (t: number): string => `${t.toFixed(0).padStart(7)} ms`;

async function timed<T>(run: () => T | Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await run();
  return [result, performance.now() - start];
}

function line(stage: string, label: string, time: number, note = ''): void {
  process.stdout.write(`${stage.padEnd(10)} ${label.padEnd(52)} ${ms(time)}${note}\n`);
}

/** The statements of the national check, each with the key that must sign it. */
function statements(vendorKeys: readonly NoteSigner[], operatorKey: NoteSigner) {
  const out: { statement: Statement; signer: NoteSigner }[] = [];
  VENDORS.forEach((vendor, v) => {
    const signer = vendorKeys[v] as NoteSigner;
    out.push({
      signer,
      statement: {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'agreement.pdf', digest: { sha256: hex(0) } }],
        predicateType: AGREEMENT_PREDICATE_TYPE,
        predicate: {
          agreementId: vendor,
          title: vendor,
          parties: { vendor: { name: vendor, key: keyHandle(signer) } },
          validity: { from: '2026-01-01', until: '2027-12-31' },
          scope: { products: ['router'] },
          clauses: [
            { clause: 'firmware-logged-before-deployment', securityFixDays: 30 },
            { clause: 'canary-every', days: 30 },
          ],
        },
      },
    });
  });
  for (let r = 0; r < RELEASES; r++) {
    out.push({
      signer: vendorKeys[r % 2] as NoteSigner,
      statement: {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: `fw-${r}`, digest: { sha256: hex(r + 1) } }],
        predicateType: RELEASE_PREDICATE_TYPE,
        predicate: {
          vendor: VENDORS[r % 2] as string,
          models: ['R1'],
          version: `${r}`,
          // The last ten releases fix advisories: every device on an older one is past the window.
          releasedAt: r >= RELEASES - 10 ? '2026-03-01' : '2026-01-02',
          ...(r >= RELEASES - 10 ? { securityFix: { advisories: [`CVE-2026-${r}`] } } : {}),
          sbom: { format: 'cyclonedx', digest: { sha256: hex(0) } },
          mud: { digest: { sha256: hex(0) }, url: 'https://mud.example/r1.json' },
        },
      },
    });
  }
  for (let d = 0; d < DEVICES; d++) {
    out.push({
      signer: operatorKey,
      statement: {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'fw', digest: { sha256: imageOf(d) } }],
        predicateType: DEPLOYMENT_PREDICATE_TYPE,
        predicate: {
          operator: OPERATOR,
          device: { id: `dev-${d}`, vendor: VENDORS[d % 2], model: 'R1' },
          observedAt: '2026-02-01T00:00:00Z',
          method: 'image-hash',
        },
      },
    });
  }
  return out;
}

/** One device in a thousand runs an image no release names. */
function imageOf(d: number): string {
  return d % 1000 === 999 ? hex(10_000_000 + d) : hex((d % RELEASES) + 1);
}

function publicKeyOf(signer: NoteSigner): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: signer.publicKey.toString('base64url') },
    format: 'jwk',
  });
}

async function main(dir: string): Promise<void> {
  const [load1] = loadavg();
  process.stdout.write(
    `load average ${load1?.toFixed(2)} (1 min) on this machine's shared cores\n`,
  );
  const vendorKeys = [generateNoteKey('acme-networks'), generateNoteKey('globex')];
  const operatorKey = generateNoteKey('operator');
  const logKey = generateNoteKey('bench.example/log');
  const trust = parseTrustFile(
    [
      'parties:',
      ...VENDORS.map(
        (name, v) => `  - { name: "${name}", role: vendor, keys: ["${vendorKeys[v]?.vkey}"] }`,
      ),
      `  - { name: "${OPERATOR}", role: operator, keys: ["${operatorKey.vkey}"] }`,
      `log: { key: "${logKey.vkey}" }`,
      '',
    ].join('\n'),
    'trust.yaml',
  );
  const now = new Date(Date.UTC(2026, 5, 1));

  // Setup, not measured against a reference: sign every statement and append it to a real log.
  const [signed, signMs] = await timed(() =>
    statements(vendorKeys, operatorKey).map(({ statement, signer }) => {
      const envelope = signStatement(statement, signer);
      const signature = envelope.signatures[0];
      if (signature === undefined) throw new Error('unsigned');
      return {
        entry: serializeEnvelope(envelope),
        pae: preAuthEncoding(envelope.payloadType, envelope.payload),
        sig: signature.sig,
        key: signer,
      };
    }),
  );
  const logDir = join(dir, 'log');
  const [size, appendMs] = await timed(async () => {
    const log = await openLog({
      dataDir: logDir,
      signer: logKey,
      logger: pino({ level: 'silent' }),
      maxBatchEntries: 16_384,
      maxQueuedEntries: 1 << 20,
    });
    for (let start = 0; start < signed.length; start += 65_536) {
      await Promise.all(signed.slice(start, start + 65_536).map((s) => log.sequencer.add(s.entry)));
    }
    const logged = log.sequencer.checkpoint.size;
    await log.close();
    return logged;
  });
  process.stdout.write(
    `log: ${fmt(size)} signed statements (${fmt(DEVICES)} deployments, ${fmt(RELEASES)} releases, ${VENDORS.length} agreements); signed in ${(signMs / 1000).toFixed(1)} s, appended in ${(appendMs / 1000).toFixed(1)} s\n\n`,
  );

  // The log stage and its references.
  const [, rawMs] = await timed(async () => {
    const store = new SqliteLogStore(logDir);
    let read = 0;
    while (read < size) read += (await store.readEntries(read, Math.min(1024, size - read))).length;
    await store.close();
    return read;
  });
  const keys = new Map([...vendorKeys, operatorKey].map((k) => [k, publicKeyOf(k)]));
  const [, verifyMs] = await timed(() => {
    for (const s of signed) {
      if (!verify(null, s.pae, keys.get(s.key) as KeyObject, s.sig)) throw new Error('bad');
    }
  });
  const [read, logMs] = await timed(() => readLogStatements(logDir, trust, now));
  if (read.skipped > 0 || read.statements.length !== size) {
    throw new Error(`the check kept ${read.statements.length} of ${size} statements`);
  }
  const floor = rawMs + verifyMs;
  line('reference', `read ${fmt(size)} entries raw from the store`, rawMs);
  line('reference', `node:crypto Ed25519 verify, one per statement`, verifyMs);
  line(
    'log',
    'read + verify + proofs (readLogStatements)',
    logMs,
    `   ${fmt(size / (logMs / 1000))} statements/s; ÷ (raw read + verify) = ${(logMs / floor).toFixed(2)}`,
  );

  // The rules and their reference.
  const inventory = Array.from({ length: DEVICES }, (_, d) => ({
    id: `dev-${d}`,
    vendor: VENDORS[d % 2] as string,
    model: 'R1',
    firmware: { sha256: imageOf(d) },
  }));
  const [joined, joinMs] = await timed(() => {
    const byDigest = new Map<string, number>();
    for (const s of read.statements) {
      if (s.statement.predicateType === RELEASE_PREDICATE_TYPE)
        byDigest.set(s.statement.subject[0]?.digest.sha256 ?? '', s.index);
    }
    let found = 0;
    for (const s of read.statements) {
      if (s.statement.predicateType !== DEPLOYMENT_PREDICATE_TYPE) continue;
      if (byDigest.has(s.statement.subject[0]?.digest.sha256 ?? '')) found += 1;
    }
    return found;
  });
  const [report, rulesMs] = await timed(() =>
    checkReport({ statements: read.statements, inventory }, { now }),
  );
  line('reference', `join deployments to releases by digest (${fmt(joined)} found)`, joinMs);
  line(
    'rules',
    'checkReport: verified statements + inventory',
    rulesMs,
    `   ${fmt(report.summary.total)} findings; ÷ join = ${(rulesMs / joinMs).toFixed(0)}`,
  );
  line('total', 'check from the log (log + rules)', logMs + rulesMs, '\n');

  // Flows, sampled.
  const [flows] = await timed(() => realisticMudSet({ records: RECORDS_PER_SECOND }));
  const [, sumMs] = await timed(() => flows.records.reduce((s, r) => s + r.bytes, 0));
  const [flowReport, flowMs] = await timed(() =>
    checkReport(
      { statements: [], flows: { devices: flows.devices, records: flows.records, sources: [] } },
      { now },
    ),
  );
  line('reference', `one pass summing bytes (${fmt(RECORDS_PER_SECOND)} records)`, sumMs);
  line(
    'flows',
    `behaviour check, 1 s sample (${fmt(RECORDS_PER_SECOND)} records)`,
    flowMs,
    `   ${fmt(flowReport.summary.total)} findings; one day (× 86,400): ${((flowMs * 86_400) / 1000 / 60).toFixed(1)} min (estimate)`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-check-'));
try {
  await main(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
