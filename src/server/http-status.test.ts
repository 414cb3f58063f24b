import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LogError } from '../log/errors.js';
import { MudError } from '../mud/errors.js';
import { HTTP_STATUSES, httpStatusOf } from './http-status.js';

const here = dirname(fileURLToPath(import.meta.url));
// Any import or re-export but `import type` / `export type`, which load nothing at run time.
const IMPORT = /^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gm;

/** The source files a module loads at run time, following its relative imports. */
function loadedModules(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolve(dirname(file), (specifier ?? '').replace(/\.js$/, '.ts'));
      if (existsSync(target)) pending.push(target);
    }
  }
  return seen;
}

describe('the HTTP status of an error code', () => {
  it("is its domain table's", () => {
    expect(httpStatusOf(new LogError('LOG_OVERLOADED', 'full'))).toBe(503);
    expect(httpStatusOf(new LogError('LOG_NOT_FOUND', 'absent'))).toBe(404);
  });

  it('is none for a code of a domain only commands meet', () => {
    expect(httpStatusOf(new MudError('MUD_LIMIT', 'too large'))).toBeUndefined();
    expect(Object.keys(HTTP_STATUSES).some((code) => code.startsWith('CLI_'))).toBe(false);
  });

  it('has a table for every domain whose errors the log and witness servers load', () => {
    const tables = readFileSync(resolve(here, 'http-status.ts'), 'utf8');
    const reached = [
      ...loadedModules(resolve(here, 'server.ts')),
      ...loadedModules(resolve(here, '../log/witness-server.ts')),
    ].filter((file) => file.endsWith('/errors.ts'));
    expect(reached.length).toBeGreaterThan(3);
    for (const file of reached) {
      const union = /export type (\w+ErrorCode)\b/.exec(readFileSync(file, 'utf8'))?.[1];
      expect(union, file).toBeDefined();
      expect(tables, file).toMatch(
        new RegExp(`satisfies Record<\\s*${union ?? ''},\\s*ErrorStatus`),
      );
    }
  });
});
