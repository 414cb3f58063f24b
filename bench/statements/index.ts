/**
 * Envelopes verified per second, beside the raw Ed25519 verify rate measured in the same run:
 *   raw        node:crypto verify of one PAE (the floor every DSSE verifier pays per signature)
 *   signatures verifyEnvelopeSignatures on a parsed envelope (PAE + key lookup + Ed25519)
 *   statement  verifyStatement (signatures, schema, signing rules, validity) on a parsed envelope
 *   accept     acceptStatement from the JSON bytes (parse, base64, verify, canonical bytes)
 * for a release (1 signature) and an access grant (2 signatures).
 */
import { spawn } from 'node:child_process';
import { verify } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { acceptStatement } from '../../src/statements/accept.js';
import {
  addSignature,
  preAuthEncoding,
  serializeEnvelope,
  verifyEnvelopeSignatures,
  type Envelope,
} from '../../src/statements/dsse.js';
import {
  loadPrivateKeyFile,
  loadStatementFile,
  loadTrustFile,
} from '../../src/statements/files.js';
import { signStatement } from '../../src/statements/sign.js';
import { partyKeys } from '../../src/statements/trust.js';
import { verifyStatement } from '../../src/statements/verify.js';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openLog } from '../../src/log/open-log.js';
import { createServer } from '../../src/server/server.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const acme = loadPrivateKeyFile(`${examples}keys/example-acme-vendor.key`);
const telco = loadPrivateKeyFile(`${examples}keys/example-telco-operator.key`);
const trust = loadTrustFile(`${examples}statements/trust.yaml`);
const now = new Date('2026-05-01T00:00:00Z');
/** Rounds of interleaved runs: on a shared machine the load shifts, so every measure sees it. */
const ROUNDS = 5;
const ROUND_SECONDS = 0.4;

function measure(fn: () => void): number {
  let n = 0;
  const start = process.hrtime.bigint();
  const stop = start + BigInt(ROUND_SECONDS * 1e9);
  let t = start;
  while (t < stop) {
    for (let i = 0; i < 20; i += 1) fn();
    n += 20;
    t = process.hrtime.bigint();
  }
  return n / (Number(t - start) / 1e9);
}

/** Median rate per measure over interleaved rounds. */
function rates(measures: Record<string, () => void>): Record<string, number> {
  const names = Object.keys(measures);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const fn of Object.values(measures)) for (let i = 0; i < 100; i += 1) fn(); // warm-up
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const name of names) samples[name]!.push(measure(measures[name]!));
  }
  return Object.fromEntries(
    names.map((n) => [n, samples[n]!.sort((x, y) => x - y)[Math.floor(ROUNDS / 2)]!]),
  );
}

function bench(name: string, envelope: Envelope): void {
  const bytes = serializeEnvelope(envelope);
  const pae = preAuthEncoding(envelope.payloadType, envelope.payload);
  const sig = envelope.signatures[0]!.sig;
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: acme.publicKey.toString('base64url') },
    format: 'jwk',
  });
  const keys = partyKeys(trust);
  const result = rates({
    'raw node:crypto Ed25519 verify (1 signature)': () => {
      if (!verify(null, pae, key, sig)) throw new Error('raw verify failed');
    },
    verifyEnvelopeSignatures: () => {
      verifyEnvelopeSignatures(envelope, keys);
    },
    'verifyStatement (signatures + schema + rules)': () => {
      if (!verifyStatement(envelope, trust, { now }).valid) throw new Error('not valid');
    },
    'acceptStatement from bytes (parse → canonical)': () => {
      acceptStatement(bytes, trust, { now });
    },
  });
  process.stdout.write(
    `\n${name}: ${envelope.signatures.length} signature(s), envelope ${bytes.length} bytes, payload ${envelope.payload.length} bytes (median of ${ROUNDS} interleaved rounds)\n`,
  );
  for (const [label, perSecond] of Object.entries(result)) {
    process.stdout.write(
      `${label.padEnd(48)} ${Math.round(perSecond).toString().padStart(8)} /s\n`,
    );
  }
  const raw = result['raw node:crypto Ed25519 verify (1 signature)']!;
  const full = result['verifyStatement (signatures + schema + rules)']!;
  process.stdout.write(
    `verifyStatement: ${((full * envelope.signatures.length) / raw).toFixed(2)} × the raw rate per signature\n`,
  );
}

const release = loadStatementFile(`${examples}statements/release.yaml`).statement;
const access = loadStatementFile(`${examples}statements/access.yaml`).statement;
bench('release', signStatement(release, acme));
bench('access grant', addSignature(signStatement(access, acme), telco));

// ---- Statements published per second, end to end through the server ----
// A real server (SQLite in a temp dir, fsync per batch, signatures verified on its worker
// threads) on loopback; CONCURRENCY publishers in another process (publisher.ts, as vendors
// are) each POST distinct release envelopes back to back and wait for {index, leafHash, proof}.
// The reference, raw Ed25519 verify on one core, is measured right before and right after the
// load in this process; the ratio is against their mean.
const CONCURRENCY = 32;
const PUBLISH_SECONDS = 6;

function rawVerifyRate(): number {
  const envelope = signStatement(release, acme);
  const pae = preAuthEncoding(envelope.payloadType, envelope.payload);
  const sig = envelope.signatures[0]!.sig;
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: acme.publicKey.toString('base64url') },
    format: 'jwk',
  });
  return rates({
    raw: () => {
      if (!verify(null, pae, key, sig)) throw new Error('raw verify failed');
    },
  }).raw!;
}

function publishFromAnotherProcess(
  url: string,
): Promise<{ done: number; seconds: number; bad: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./publisher.ts', import.meta.url)),
      url,
      String(CONCURRENCY),
      String(PUBLISH_SECONDS),
      // Enough for about 3,000 statements/s; the publishers stop early when they run out.
      String(20_000),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`the publishers exited with ${String(code)}`));
      else resolve(JSON.parse(out) as { done: number; seconds: number; bad: number });
    });
  });
}

async function publishBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-bench-statements-'));
  const logKey = generateNoteKey('bench.example/log');
  const log = await openLog({ dataDir: dir, signer: logKey });
  const app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    trust: { ...trust, log: { origin: undefined, key: logKey } },
    submitToken: 'bench',
    onClose: () => log.close(),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const before = rawVerifyRate();
  const { done, seconds, bad } = await publishFromAnotherProcess(url);
  const after = rawVerifyRate();
  const size = log.sequencer.checkpoint.size;
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  if (bad > 0) throw new Error(`${bad} publications were not answered 200`);
  const rate = done / seconds;
  const raw = (before + after) / 2;
  process.stdout.write(
    `\npublished end to end (POST /v1/statements, ${CONCURRENCY} publishers in another process, 1-signature release, durable + proof): ${Math.round(rate)} /s (${done} in ${seconds.toFixed(1)} s, tree size ${size})\n` +
      `raw node:crypto Ed25519 verify on one core (same run, before/after): ${Math.round(before)} / ${Math.round(after)} /s\n` +
      `publishing: ${((rate / raw) * 100).toFixed(1)}% of the raw verify rate (goal ≥ 25%)\n`,
  );
}

await publishBench();
