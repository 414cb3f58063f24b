import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeMissing, isCi, locateTool, TOOLS } from './tools.js';

const work = mkdtempSync(join(tmpdir(), 'nospy-tools-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A directory holding one file `name` with `script` as its body. */
function dirWith(name: string, script: string, mode = 0o755): string {
  const dir = mkdtempSync(join(work, 'bin-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), script);
  chmodSync(join(dir, name), mode);
  return dir;
}

describe('when a command is looked up', () => {
  it('finds it in the first PATH directory that holds it as an executable file', () => {
    const first = dirWith('mksquashfs', '#!/bin/sh\n');
    const second = dirWith('mksquashfs', '#!/bin/sh\n');
    expect(locateTool('mksquashfs', [work, first, second].join(delimiter))).toBe(
      join(first, 'mksquashfs'),
    );
  });

  it('passes over a file that is not executable', () => {
    const dir = dirWith('cpio', 'not a program', 0o644);
    expect(locateTool('cpio', dir)).toBeUndefined();
  });

  it('finds nothing on an empty PATH', () => {
    expect(locateTool('xz', '')).toBeUndefined();
  });
});

describe('when a python module is looked up', () => {
  it('takes the first python3 on PATH that imports it, passing over one that cannot', () => {
    const without = dirWith('python3', '#!/bin/sh\nexit 1\n');
    const withModule = dirWith(
      'python3',
      '#!/bin/sh\n[ "$1" = -c ] && [ "$2" = "import cryptography" ] && exit 0\nexit 1\n',
    );
    expect(locateTool('python3-cryptography', [without, withModule].join(delimiter))).toBe(
      join(withModule, 'python3'),
    );
  });

  it('finds nothing when no python3 imports it', () => {
    expect(locateTool('python3-cryptography', dirWith('python3', '#!/bin/sh\nexit 1\n'))).toBe(
      undefined,
    );
  });
});

describe('when the run is told it is CI', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['TRUE', true],
    ['false', false],
    ['0', false],
    ['', false],
    [undefined, false],
  ])('CI=%s means %s', (value, expected) => {
    expect(isCi(value === undefined ? {} : { CI: value })).toBe(expected);
  });
});

describe('the table of tools', () => {
  it('names each missing tool with the Debian package to install', () => {
    expect(
      describeMissing([
        { tool: 'go', debianPackage: 'golang-go' },
        { tool: 'golang.org/x/mod', debianPackage: 'golang-golang-x-mod-dev' },
      ]),
    ).toBe(
      'needs go (Debian package golang-go), golang.org/x/mod (Debian package golang-golang-x-mod-dev)',
    );
  });

  it('names only packages that .ci/run installs, so that CI has every tool', () => {
    const ciRun = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    const listed = /^APT_PACKAGES=\(([^)]*)\)/m.exec(ciRun)?.[1]?.split(/\s+/) ?? [];
    for (const [tool, spec] of Object.entries(TOOLS)) {
      expect(listed, `${tool} needs ${spec.debianPackage}`).toContain(spec.debianPackage);
    }
  });
});
