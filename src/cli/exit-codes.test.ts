import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NospyError } from '../errors/nospy-error.js';
import { LogError } from '../log/errors.js';
import { TlogError } from '../tlog/errors.js';
import { exitCodeOf } from './exit-codes.js';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('the exit code of an error', () => {
  it('is 1 for a failed verification and 2 for an error', () => {
    expect(exitCodeOf(new TlogError('TLOG_PROOF_INVALID', 'bad proof'))).toBe(1);
    expect(exitCodeOf(new LogError('LOG_INCONSISTENT', 'forked'))).toBe(1);
    expect(exitCodeOf(new TlogError('TLOG_KEY_INVALID', 'bad key'))).toBe(2);
  });

  it("is INTERNAL's (2) for a code it has no entry for", () => {
    expect(exitCodeOf(new NospyError('API_NOT_FOUND', "a route's code"))).toBe(2);
    expect(exitCodeOf(new NospyError('NO_SUCH_CODE', 'a bug'))).toBe(2);
  });

  it('has a table for every domain but the read API, whose errors only routes throw', () => {
    const tables = readFileSync(join(src, 'cli/exit-codes.ts'), 'utf8');
    const domains = readdirSync(src, { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('errors.ts') && file !== join('server', 'api', 'errors.ts'));
    expect(domains.length).toBeGreaterThan(10);
    for (const file of domains) {
      const union = /export type (\w+ErrorCode)\b/.exec(readFileSync(join(src, file), 'utf8'))?.[1];
      expect(union, file).toBeDefined();
      expect(tables, file).toMatch(new RegExp(`satisfies Record<\\s*${union ?? ''},\\s*ExitCode`));
    }
  });
});
