import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MudError } from './errors.js';
import { loadMudFile } from './load.js';
import { MUD_LIMITS } from './parse.js';

function codeOf(file: string): [string, string | undefined] {
  try {
    loadMudFile(file);
  } catch (error) {
    if (error instanceof MudError) return [error.code, error.where];
    throw error;
  }
  return ['none', undefined];
}

describe('loading a MUD file from disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-mud-load-'));

  it('reports a missing file as MUD_UNREADABLE', () => {
    expect(codeOf(join(dir, 'absent.json'))).toEqual(['MUD_UNREADABLE', join(dir, 'absent.json')]);
  });

  it('refuses a file over the size bound before reading it', () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, Buffer.alloc(MUD_LIMITS.maxBytes + 1, 0x20));
    expect(codeOf(file)).toEqual(['MUD_LIMIT', file]);
  });

  it('prefixes the JSON path with the file name', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"ietf-mud:mud": {"mud-url": 7}}');
    expect(codeOf(file)).toEqual(['MUD_INVALID', `${file}:$.ietf-mud:mud.mud-url`]);
  });
});
