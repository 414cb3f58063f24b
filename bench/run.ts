/**
 * `npm run bench [name…]`: runs every benchmark under bench/<name>/index.ts, one after the
 * other in its own process so that one's heap and JIT state do not colour the next. Each prints
 * its own figures beside a reference measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
// Names pick benchmarks; `--flag value` pairs are handed to each (`npm run bench -- soak --minutes 30`).
const args = process.argv.slice(2);
const flags: string[] = [];
const names: string[] = [];
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i] ?? '';
  if (arg.startsWith('--'))
    flags.push(arg, ...(args[i + 1] === undefined ? [] : [args[(i += 1)] ?? '']));
  else names.push(arg);
}
const wanted = new Set(names);
const benches = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'index.ts')))
  .map((entry) => entry.name)
  .filter((name) => wanted.size === 0 || wanted.has(name))
  .sort();

if (benches.length === 0) {
  process.stdout.write('no benchmarks to run\n');
}
let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n== bench/${name} ==\n`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, name, 'index.ts'), ...flags],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`bench/${name} failed with exit code ${String(result.status)}\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
