/** A minimal ustar writer (POSIX.1-1988 ustar): the demo firmware images are real .tar.gz files. */
import { gzipSync } from 'node:zlib';

/** 2026-01-01T00:00:00Z: the members' time unless a build gives another. */
export const DEMO_MTIME = 1_767_225_600;

function header(name: string, size: number, mode: number, mtime: number): Buffer {
  const h = Buffer.alloc(512, 0);
  h.write(name, 0, 100, 'utf8');
  h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  h.write(`${mtime.toString(8).padStart(11, '0')}\0`, 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\u000000', 257, 'binary');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** A gzipped ustar archive of regular files (path → content), every member dated `mtime`. */
export function tarGz(
  files: Readonly<Record<string, string | Buffer>>,
  mtime = DEMO_MTIME,
): Buffer {
  const parts: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const executable = name.includes('init.d') || name.includes('sbin/');
    parts.push(header(name, body.length, executable ? 0o755 : 0o644, mtime), body);
    parts.push(Buffer.alloc((512 - (body.length % 512)) % 512, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts));
}
