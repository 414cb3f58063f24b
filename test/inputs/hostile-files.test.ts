import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import {
  CORPUS_CAP_BYTES,
  FeedingPipe,
  writeHostileCorpus,
  type HostileFile,
} from './hostile-corpus.js';

const ROOT = join(import.meta.dirname, '../..');
const VKEY = join(ROOT, 'examples/keys/example-acme-vendor.vkey');
const IMAGE_SBOM = join(ROOT, 'test/fixtures/sbom/firmware/router-1.5.cdx.json');

/**
 * Every command that reads a file, with `F` where the hostile file goes. The other arguments are
 * valid or are `F` too: the first file a command reads is the one under test.
 */
const COMMANDS: readonly (readonly string[])[] = [
  ['firmware', 'scan', 'F'],
  ['firmware', 'scan', 'F', '--mud', 'F'],
  ['firmware', 'scan', join(ROOT, 'examples/statements'), '--mud', 'F'],
  ['firmware', 'scan', join(ROOT, 'examples/statements'), '--sbom', 'F'],
  ['firmware', 'diff', 'F', 'F'],
  ['sbom', 'check', 'F'],
  ['sbom', 'check', IMAGE_SBOM, '--osv', 'F'],
  ['flows', 'decode', 'F'],
  ['flows', 'check', '--devices', 'F', '--flows', 'F'],
  ['mud', 'check', '--mud', 'F', '--context', 'F', '--flows', 'F'],
  ['policy', 'check', '--inventory', 'F', '--pack', 'se-pts-2020', '--date', '2025-01-01'],
  ['policy', 'plan', '--inventory', 'F', '--pack', 'se-pts-2020'],
  ['policy', 'shares', '--inventory', 'F', '--date', '2025-01-01'],
  [
    'policy',
    'check',
    '--inventory',
    join(ROOT, 'examples/inventory/uk-operator.yaml'),
    '--pack',
    'F',
    '--date',
    '2025-01-01',
  ],
  ['policy', 'lint', 'F'],
  ['statement', 'sign', 'F', '--key', 'F'],
  ['statement', 'verify', 'F', '--vkey', VKEY],
  ['statement', 'verify', 'F', '--trust', 'F'],
  ['verify', 'F', '--trust', 'F'],
  ['log', 'add', 'F', '--data', 'DATA', '--log-key', 'F'],
  ['--config', 'F', 'config', 'show'],
];

/** A stack frame as Node prints it: "    at fn (file:line:col)". */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|<anonymous>\)?)$/m;

let dir: string;
let files: HostileFile[];
let pipe: FeedingPipe;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nospy-hostile-'));
  files = writeHostileCorpus(dir);
  pipe = new FeedingPipe(dir);
});
afterEach(() => {
  pipe.stop();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(command: readonly string[], file: string) {
  const data = mkdtempSync(join(dir, 'data-'));
  const argv = command.map((a) => (a === 'F' ? file : a === 'DATA' ? data : a));
  const result = await runCli(argv, { env: { NOSPY_MAX_INPUT_BYTES: String(CORPUS_CAP_BYTES) } });
  return { ...result, argv: argv.join(' ') };
}

function expectClean(result: { code: number; stderr: string; argv: string }): void {
  const said = `${result.argv}\n${result.stderr.slice(0, 2000)}`;
  expect(result.stderr, said).not.toContain('internal error');
  expect(STACK_FRAME.test(result.stderr), said).toBe(false);
  expect([0, 1, 2], said).toContain(result.code);
}

describe('every command that takes a file, given a hostile one', () => {
  for (const command of COMMANDS) {
    const name = command.join(' ');
    it(`${name}: answers each file of the corpus with a clean message, never a stack trace`, async () => {
      for (const file of files) expectClean(await run(command, file.path));
    });

    it(`${name}: stops reading /dev/zero at the limit and exits 2 naming it`, async () => {
      const result = await run(command, '/dev/zero');
      expectClean(result);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/limit|not a regular|is a device|not a directory/);
    });

    it(`${name}: stops reading a pipe larger than the limit and exits 2`, async () => {
      pipe.start();
      const result = await run(command, pipe.path);
      expectClean(result);
      expect(result.code, result.stderr).toBe(2);
    });
  }
});

describe('the bounded reader keeps memory bounded', () => {
  it('reads /dev/zero through every command without growing past a few times the limit', async () => {
    const before = process.memoryUsage().rss;
    for (const command of COMMANDS) await run(command, '/dev/zero');
    // Each command holds at most one limit's worth; a reader that ignored it would not return.
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });
});
