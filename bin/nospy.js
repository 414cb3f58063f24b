#!/usr/bin/env node
// The published entry point: runs the compiled CLI (npm ci builds it through `prepare`).
import { readFileSync } from 'node:fs';

// `nospy --version` alone answers from package.json before any module loads (commander's and the
// CLI's own are most of start-up); every other command line goes through main, which says the same.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import('../dist/cli/main.js');

  // A reader that stops early (`nospy … | head`) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }

  process.exitCode = await main(args);
}
