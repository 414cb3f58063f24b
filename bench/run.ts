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
const wanted = new Set(process.argv.slice(2));
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
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, name, 'index.ts')], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`bench/${name} failed with exit code ${String(result.status)}\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
