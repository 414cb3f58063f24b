import { describe, expect, it } from 'vitest';
import { formatMissingToolsBlock, type ToolBlockedTest } from './missing-tools-block.js';

const squashfs = { tool: 'mksquashfs', debianPackage: 'squashfs-tools' } as const;
const chromium = { tool: 'chromium', debianPackage: 'chromium' } as const;

const blocked = (
  file: string,
  group: string,
  state: ToolBlockedTest['state'],
  ...tools: ToolBlockedTest['tools']
): ToolBlockedTest => ({ file, group, state, tools });

describe('when every test had its tools', () => {
  it('prints nothing', () => {
    expect(formatMissingToolsBlock([])).toEqual([]);
  });
});

describe('when groups were skipped for want of tools', () => {
  it('prints each group once with its count, what it needs, and one apt-get line', () => {
    const lines = formatMissingToolsBlock([
      blocked('e2e/log-proof.test.ts', '', 'skipped', chromium),
      blocked('e2e/log-proof.test.ts', '', 'skipped', chromium),
      blocked('test/firmware/scan.test.ts', 'when packed as squashfs', 'skipped', squashfs),
    ]);
    expect(lines).toEqual([
      '',
      'Skipped: 3 tests need tools from outside npm that this machine lacks (CI=true fails them instead)',
      '  e2e/log-proof.test.ts (2 tests): needs chromium (Debian package chromium)',
      '  test/firmware/scan.test.ts › when packed as squashfs (1 test): needs mksquashfs (Debian package squashfs-tools)',
      '  To run them: apt-get install chromium squashfs-tools',
    ]);
  });
});

describe('when CI failed groups for want of tools', () => {
  it('prints them under their own heading, apart from the skipped ones', () => {
    const lines = formatMissingToolsBlock([
      blocked('a.test.ts', '', 'failed', squashfs, chromium),
      blocked('b.test.ts', 'g', 'skipped', chromium),
    ]);
    expect(lines.filter((l) => l.startsWith('Failed') || l.startsWith('Skipped'))).toEqual([
      'Skipped: 1 test needs tools from outside npm that this machine lacks (CI=true fails them instead)',
      'Failed: 1 test needs tools from outside npm that this machine lacks (CI=true runs every test)',
    ]);
    expect(lines).toContain(
      '  a.test.ts (1 test): needs mksquashfs (Debian package squashfs-tools), chromium (Debian package chromium)',
    );
    expect(lines.at(-1)).toBe('  To run them: apt-get install chromium squashfs-tools');
  });
});
