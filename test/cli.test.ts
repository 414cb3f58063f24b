import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/nospy.js', import.meta.url));

/** The installed binary, as `npx nospy` runs it (built by `npm run build`). */
function nospy(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
}

describe('the nospy binary', () => {
  it('prints help and exits 0', () => {
    const result = nospy('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: nospy');
  });

  it('prints the version from package.json', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default;
    const result = nospy('--version');
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 for an unknown command, with the message on stderr only', () => {
    const result = nospy('no-such-command');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("unknown command 'no-such-command'");
  });
});
