import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker thread whose module is `name` beside the caller (`callerUrl`, its
 * `import.meta.url`). From dist/ that is the compiled `<name>.js`; run from the TypeScript sources
 * (tests, benchmarks) the worker registers tsx first, because a worker thread does not inherit
 * the parent's module loader.
 */
export function startWorkerModule(callerUrl: string, name: string, options: WorkerOptions): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const tsxApi = createRequire(callerUrl)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const source =
    `import { register } from ${JSON.stringify(pathToFileURL(tsxApi).href)};\n` +
    `register();\n` +
    `await import(${JSON.stringify(new URL(`./${name}.ts`, callerUrl).href)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), options);
}
