import { spawnSync } from 'node:child_process';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { compareVersions } from '../../src/osv/versions/ordering.js';
import { dpkgOrdering } from '../../src/osv/versions/dpkg.js';
import { requireTools } from '../helpers/require-tools.js';

/** dpkg itself (Debian's `dpkg --compare-versions`) as the reference ordering. */
function dpkgSays(a: string, b: string): number {
  const lt = spawnSync('dpkg', ['--compare-versions', a, 'lt', b]).status === 0;
  if (lt) return -1;
  const eq = spawnSync('dpkg', ['--compare-versions', a, 'eq', b]).status === 0;
  return eq ? 0 : 1;
}

// Versions built from the characters that matter to the ordering: digits, letters, ~ + . and
// an optional epoch and revision (deb-version(7) syntax).
const part = fc.stringMatching(/^[0-9][0-9a-c.+~]{0,5}$/);
const revision = fc.stringMatching(/^[0-9a-c.+~]{1,4}$/);
const version = fc
  .tuple(fc.option(fc.integer({ min: 0, max: 3 })), part, fc.option(revision))
  .map(
    ([epoch, upstream, rev]) =>
      `${epoch === null ? '' : `${epoch}:`}${upstream}${rev === null ? '' : `-${rev}`}`,
  );

describe('dpkg ordering against dpkg --compare-versions', () => {
  requireTools('dpkg');
  test.prop([version, version], { numRuns: 120 })('agrees with dpkg on random versions', (a, b) => {
    expect(Math.sign(compareVersions(dpkgOrdering, a, b) ?? Number.NaN)).toBe(dpkgSays(a, b));
  });
});
