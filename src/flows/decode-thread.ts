import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DecodeThreadData } from './collector-protocol.js';

/**
 * Starts the collector's decode thread. From dist/ it is the compiled collector-worker.js; run
 * from the TypeScript sources (tests, benchmarks) the worker registers tsx first, because a
 * worker thread does not inherit the parent's module loader.
 */
export function startDecodeThread(data: DecodeThreadData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts'))
    return new Worker(new URL('./collector-worker.js', here), { workerData: data });
  const tsxApi = createRequire(here)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const source =
    `import { register } from ${JSON.stringify(pathToFileURL(tsxApi).href)};\n` +
    `register();\n` +
    `await import(${JSON.stringify(new URL('./collector-worker.ts', here).href)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), {
    workerData: data,
  });
}
