import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/command-index.js';

const bin = fileURLToPath(new URL('../bin/nospy.js', import.meta.url));
const trace = fileURLToPath(new URL('./helpers/module-trace.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nospy-startup-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Packages that only a command's work needs: servers, databases, buses, schema compilers,
 * parsers of configuration and inputs. Help must not load them.
 */
const HEAVY =
  /\/node_modules\/(fastify|@fastify\/[^/]+|ajv|ajv-formats|zod|yaml|better-sqlite3|pg|@nats-io\/[^/]+|pino|pino-pretty|prom-client|csv-parse|close-with-grace|@napi-rs\/lzma|cli-progress)\//;

/** The packages the built CLI (bin/nospy.js) loads for a command line. */
function packagesLoaded(name: string, args: readonly string[]): string[] {
  const file = join(dir, `${name}.txt`);
  const run = spawnSync(process.execPath, ['--import', trace, bin, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NOSPY_MODULE_TRACE: file },
  });
  expect(run.status, run.stderr).toBe(0);
  const urls = readFileSync(file, 'utf8').split('\n');
  return [...new Set(urls.filter((url) => HEAVY.test(url)).map((url) => HEAVY.exec(url)?.[1]))]
    .filter((pkg): pkg is string => pkg !== undefined)
    .sort();
}

describe('start-up of the built CLI', () => {
  it('answers --version without loading the CLI', () => {
    const file = join(dir, 'version.txt');
    spawnSync(process.execPath, ['--import', trace, bin, '--version'], {
      env: { PATH: process.env.PATH, NOSPY_MODULE_TRACE: file },
    });
    const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(urls.filter((url) => url.includes('/node_modules/') || url.includes('/dist/'))).toEqual(
      [],
    );
  });

  it('loads none of the heavy packages for --help', () => {
    expect(packagesLoaded('help', ['--help'])).toEqual([]);
  });

  describe.each(COMMANDS.map((c) => c.name))('nospy %s --help', (name) => {
    it("loads none of the packages that only the command's work needs", () => {
      expect(packagesLoaded(name, [name, '--help'])).toEqual([]);
    });
  });
});
