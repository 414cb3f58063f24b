/**
 * A directory holding a `nospy` executable that runs the CLI from the sources, to put first on
 * `PATH` for a shell that plays the docs' commands as a reader types them.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./nospy-entry.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url));

/** Writes `<dir>/nospy` and returns `dir`. */
export function nospyOnPath(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const shim = join(dir, 'nospy');
  // exec: the process a journey starts in the background is nospy itself, so `kill $!` stops it.
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" --import "${TSX}" "${ENTRY}" "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}
