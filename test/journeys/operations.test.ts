import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markedBlocks } from './doc-blocks.js';
import { freePort, nospyOnPath } from './nospy-on-path.js';

const PAGE = fileURLToPath(new URL('../../docs/operations.md', import.meta.url));

interface Played {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let dir: string;
let played: Played;
const file = (name: string): string => readFileSync(join(dir, name), 'utf8');

/**
 * docs/operations.md, every ```sh journey block in page order, played by one shell in an empty
 * directory with `nospy` on PATH: real server and witness processes on loopback ports.
 */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nospy-journey-'));
  const blocks = markedBlocks(PAGE, 'journey');
  // Each block announces itself on stderr, so a failure names the page line it stopped at.
  const script = [
    'set -eu',
    ...blocks.map((b) => `echo "--- docs/operations.md:${b.line}" >&2\n${b.text}`),
  ].join('\n');
  writeFileSync(join(dir, 'journey.sh'), script);
  const bin = nospyOnPath(join(dir, '.bin'));
  const [logPort, witnessPort] = [await freePort(), await freePort()];
  played = await new Promise<Played>((resolve) => {
    const child = spawn('sh', ['journey.sh'], {
      cwd: dir,
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        LOG_PORT: String(logPort),
        WITNESS_PORT: String(witnessPort),
        XDG_STATE_HOME: join(dir, '.state'),
        NOSPY_LOG_LEVEL: 'info',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}, 600_000);

afterAll(() => {
  // Whatever the journey left running when it failed half-way.
  for (const name of ['serve.pid', 'witness.pid']) {
    const pidFile = join(dir, name);
    if (!existsSync(pidFile)) continue;
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
    } catch {
      // Already stopped, as the journey's last step does.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('docs/operations.md, played role by role as written', () => {
  it('runs every step to the end with exit 0', () => {
    expect(played.stderr.slice(-4000)).not.toMatch(/^nospy: /m);
    expect(played.code, played.stderr.slice(-4000)).toBe(0);
  });

  it('the witness key handed to the log operator is the cosignature/v1 key witness serve prints', () => {
    expect(file('witness.out').split('\n')[0]).toBe(file('witness.cosign.vkey').trim());
  });

  it("the vendor's release is published with its SBOM and MUD file in the blob store", () => {
    expect(played.stdout).toMatch(
      /^index 0\nleaf hash [0-9a-f]{64}\nbundle release\.bundle\.json$/m,
    );
    expect(played.stdout).toMatch(/^0\trelease\tacme\tsha256:/m);
  });

  it('the auditor verifies the bundle and the log against the trust file', () => {
    expect(played.code).toBe(0);
    expect(existsSync(join(dir, 'release.bundle.json'))).toBe(true);
  });

  it('a publish while the witness is down prints its progress and exits 2 with the witness that failed', () => {
    const err = file('publish.err');
    expect(err).toContain('waiting for witness cosignatures: 0/1');
    expect(err).toContain('STATEMENT_PUBLISH_TIMEOUT');
    expect(err).toContain('witness.example.org');
  });

  it('the same publish succeeds once the witness is back', () => {
    // release 0, deployment 1, canary 2 (sequenced while the witness was down).
    expect(played.stdout).toMatch(/^index 2\nleaf hash [0-9a-f]{64}$/m);
  });
});
