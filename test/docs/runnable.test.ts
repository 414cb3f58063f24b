import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { markedBlocks } from '../journeys/doc-blocks.js';
import { nospyOnPath } from '../journeys/nospy-on-path.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = [
  join(ROOT, 'README.md'),
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(ROOT, 'docs', name)),
];

/** The marker that makes a docs command block a test: its fence reads ```sh runnable. */
const MARKER = 'runnable';
const blocks = PAGES.flatMap((page) => markedBlocks(page, MARKER));

describe('every command block of README.md and docs/ marked runnable', () => {
  it('there is at least one (the README quick start)', () => {
    expect(blocks.some((b) => b.file.endsWith('README.md'))).toBe(true);
  });

  for (const block of blocks) {
    const where = `${block.file.slice(ROOT.length)}:${block.line}`;
    it(`runs as written, exit 0: ${where}`, { timeout: 300_000 }, () => {
      // A temporary directory with what the docs name relative to a clone's root.
      const dir = mkdtempSync(join(tmpdir(), 'nospy-docs-'));
      try {
        symlinkSync(join(ROOT, 'examples'), join(dir, 'examples'));
        symlinkSync(join(ROOT, 'README.md'), join(dir, 'README.md'));
        const bin = nospyOnPath(join(dir, '.bin'));
        writeFileSync(join(dir, 'block.sh'), `set -eu\n${block.text}\n`);
        const run = spawnSync('sh', ['block.sh'], {
          cwd: dir,
          env: {
            ...process.env,
            PATH: `${bin}:${process.env.PATH ?? ''}`,
            XDG_STATE_HOME: join(dir, '.state'),
          },
          encoding: 'utf8',
        });
        expect(run.status, `${where}\n${run.stdout}\n${run.stderr}`).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
