import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/check/index.js';
import { buildDemoWorld } from '../../src/demo/world.js';
import { generateNoteKey, KEY_TYPE_COSIGNATURE_V1 } from '../../src/tlog/note-key.js';
import { parseTlogProof } from '../../src/tlog/proof-bundle.js';
import { runCli } from '../helpers/run-cli.js';
import { PLANTED, plantedPairs } from './demo-findings.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'nospy.js');

/** `nospy serve` on the demo log, as `npm start` runs it, in a child process. */
function serve(data: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--data',
      join(data, 'log'),
      '--log-key',
      join(data, 'keys', 'log.key'),
      '--trust',
      join(data, 'trust.yaml'),
      '--port',
      '0',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^(http:\/\/\S+)\n/m.exec(out)?.[1];
      if (url !== undefined) resolve({ child, url });
    });
    child.on('exit', (code) => {
      reject(new Error(`nospy serve exited with ${code}: ${err}`));
    });
  });
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('nospy check with the log given as a URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-check-url-'));
  const data = join(dir, 'data');
  let server: { child: ChildProcess; url: string } | undefined;

  const config = (name: string, log: string, trust = 'data/trust.yaml'): string => {
    const file = join(dir, name);
    writeFileSync(
      file,
      [
        `trust: ${trust}`,
        'check:',
        `  log: ${log}`,
        '  inventory: data/inventory.yaml',
        '  devices: data/devices.yaml',
        '  flows: [data/flows.ndjson]',
        '  firmware: [data/firmware/globex-gx9-2.1.tar.gz, data/firmware/acme-r1-3.2.tar.gz]',
        '  osv: [data/osv]',
        '  packs: [uk-tsa-huawei-dvd, us-ndaa-889]',
        '  date: 2026-06-01',
        '',
      ].join('\n'),
    );
    return file;
  };

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
      throw new Error('build first: npm run build (npm test does it before the tests)');
    }
    await buildDemoWorld(data);
    server = await serve(data);
  });
  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the served log, its tiles and its blobs, and reports the same findings as from the data directory', async () => {
    const url = server?.url ?? '';
    const remote = await runCli(['check', '--config', config('url.yaml', url), '--json']);
    expect(remote.stderr).toBe('');
    expect(remote.code).toBe(1);
    const report = JSON.parse(remote.stdout) as Report;
    expect(plantedPairs(report)).toEqual(PLANTED);

    const local = await runCli(['check', '--config', config('dir.yaml', 'data/log'), '--json']);
    const localReport = JSON.parse(local.stdout) as Report;
    expect(report.findings.map((f) => f.id)).toEqual(localReport.findings.map((f) => f.id));

    // The proofs are against the checkpoint the server serves, witness cosignature included.
    const served = await (await fetch(`${url}/checkpoint`)).text();
    expect(served).toContain('— witness.albion.example ');
    expect(report.checkpoint).toBe(served);
    for (const f of report.findings)
      for (const e of f.evidence)
        if (e.type === 'statement') expect(parseTlogProof(e.proof).checkpoint).toBe(served);
  });

  it.each(['served log', 'data directory'])(
    'refuses a %s whose checkpoint lacks the witness quorum the trust file asks (exit 2)',
    async (kind) => {
      const stranger = generateNoteKey('witness.elsewhere.example', KEY_TYPE_COSIGNATURE_V1);
      const trust = readFileSync(join(data, 'trust.yaml'), 'utf8').replace(
        /^witnesses: .*$/m,
        `witnesses: { quorum: 1, keys: [{ key: "${stranger.vkey}" }] }`,
      );
      writeFileSync(join(dir, 'other-trust.yaml'), trust);
      const log = kind === 'served log' ? (server?.url ?? '') : 'data/log';
      const run = await runCli([
        'check',
        '--config',
        config(`quorum-${kind.replace(' ', '-')}.yaml`, log, 'other-trust.yaml'),
      ]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /the checkpoint does not verify against the trust file: the checkpoint has 0 valid witness cosignature\(s\), 1 needed.*CHECK_LOG_UNVERIFIED/s,
      );
    },
  );

  it('says the log cannot be reached and exits 2 when nothing answers at the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCli(['check', '--config', config('down.yaml', url)]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`the log at ${url} cannot be reached`);
    expect(run.stderr).toContain('CHECK_LOG_UNREACHABLE');
  });
});
