/**
 * Executables and archives built with the real tools for the diff tests: gcc and binutils
 * (objcopy) for ELF files, GNU tar, GNU cpio and mksquashfs for images. Each helper works in a
 * fresh temporary directory it removes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `body` in a temporary directory and removes it afterwards. */
export function inTemp<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-rebuild-build-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Compiles one C file with gcc into an executable. `file` is where the source is written
 * (relative to the temp dir: it lands in `__FILE__`), `flags` go to gcc as given.
 */
export function compile(source: string, flags: readonly string[] = [], file = 'prog.c'): Buffer {
  return inTemp((dir) => {
    const src = join(dir, file);
    execFileSync('mkdir', ['-p', join(src, '..')]);
    writeFileSync(src, source);
    execFileSync('gcc', ['-O2', ...flags, '-o', join(dir, 'a.out'), src]);
    return readFileSync(join(dir, 'a.out'));
  });
}

/** objcopy with `args`, from `input` bytes to the output bytes. */
export function objcopy(input: Buffer, args: readonly string[]): Buffer {
  return inTemp((dir) => {
    writeFileSync(join(dir, 'in'), input);
    execFileSync('objcopy', [...args, join(dir, 'in'), join(dir, 'out')]);
    return readFileSync(join(dir, 'out'));
  });
}

/** The section names `readelf -S -W` lists for an ELF file (the oracle for the reader). */
export function readelfSections(elf: Buffer): string[] {
  return inTemp((dir) => {
    writeFileSync(join(dir, 'f'), elf);
    const out = execFileSync('readelf', ['-S', '-W', join(dir, 'f')]).toString();
    return out
      .split('\n')
      .map((line) => /^\s+\[\s*(\d+)\]\s(\S*)\s/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => (m[2] === 'NULL' ? '' : (m[2] ?? '')));
  });
}

export const HELLO = '#include <stdio.h>\nint main(void){puts("hello");return 0;}\n';
