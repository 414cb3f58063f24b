import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { capInputBytes, readBoundedFile, readBoundedText } from './bounded-read.js';
import { InputError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'nospy-bounded-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  capInputBytes(undefined);
});

function failure(read: () => unknown): InputError {
  try {
    read();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('it read');
}

describe('readBoundedFile', () => {
  it('reads a regular file within the limit whole', () => {
    const file = join(dir, 'ok.txt');
    writeFileSync(file, 'hello');
    expect(readBoundedText(file, { maxBytes: 5 })).toBe('hello');
  });

  it('refuses a regular file over the limit by its size, naming the file and the limit', () => {
    const file = join(dir, 'big.txt');
    writeFileSync(file, 'hello!');
    const error = failure(() => readBoundedFile(file, { maxBytes: 5, what: 'SBOM' }));
    expect(error.code).toBe('INPUT_TOO_LARGE');
    expect(error.message).toBe(`${file}: the SBOM holds 6 bytes, more than the limit of 5`);
  });

  it('stops reading /dev/zero one byte past the limit', () => {
    const error = failure(() => readBoundedFile('/dev/zero', { maxBytes: 1000, what: 'image' }));
    expect(error.code).toBe('INPUT_TOO_LARGE');
    expect(error.message).toBe(
      '/dev/zero: the image holds more than the limit of 1000 bytes (reading stopped there)',
    );
  });

  it('reads a pipe that fits and stops one that does not', () => {
    for (const [bytes, ok] of [
      [4096, true],
      [300_000, false],
    ] as const) {
      const fifo = join(dir, `fifo-${bytes}`);
      execFileSync('mkfifo', [fifo]);
      const writer = spawn('sh', ['-c', `head -c ${bytes} /dev/zero > '${fifo}'`]);
      try {
        if (ok) expect(readBoundedFile(fifo, { maxBytes: 200_000 })).toHaveLength(bytes);
        else
          expect(failure(() => readBoundedFile(fifo, { maxBytes: 200_000 })).code).toBe(
            'INPUT_TOO_LARGE',
          );
      } finally {
        writer.kill();
      }
    }
  });

  it('refuses a directory and a missing path with their own codes', () => {
    expect(failure(() => readBoundedFile(dir, { maxBytes: 10 })).code).toBe('INPUT_IS_DIRECTORY');
    expect(failure(() => readBoundedFile(join(dir, 'none'), { maxBytes: 10 })).code).toBe(
      'INPUT_NOT_FOUND',
    );
  });

  it('lowers every limit to the cap, never raises one', () => {
    const file = join(dir, 'capped.txt');
    writeFileSync(file, 'abcdef');
    capInputBytes(3);
    expect(failure(() => readBoundedFile(file, { maxBytes: 10 })).code).toBe('INPUT_TOO_LARGE');
    capInputBytes(100);
    expect(failure(() => readBoundedFile(file, { maxBytes: 5 })).message).toContain('limit of 5');
  });

  it("hands the caller's domain error out when given one", () => {
    const error = new Error('mapped');
    expect(() => readBoundedFile('/dev/zero', { maxBytes: 1, failure: () => error })).toThrow(
      error,
    );
  });
});
