/**
 * The block printed at the end of a test run for the test groups that did not run because a
 * tool from outside npm is missing: each group, the tools it needs and their Debian packages,
 * and the one apt-get line that installs them all.
 */
import { describeMissing, type MissingTool } from './tools.js';

const plural = (count: number): string => `${count} ${count === 1 ? 'test' : 'tests'}`;

/** One test that did not run for want of tools, as the reporter found it. */
export interface ToolBlockedTest {
  /** The test file, relative to the project root. */
  readonly file: string;
  /** The `describe` that declared the tools; empty when the whole file did. */
  readonly group: string;
  readonly tools: readonly MissingTool[];
  readonly state: 'skipped' | 'failed';
}

/**
 * The lines of the block, empty when every test had its tools. Skipped and failed (CI) tests
 * get separate headings, since only the second makes the run fail.
 */
export function formatMissingToolsBlock(tests: readonly ToolBlockedTest[]): string[] {
  const lines: string[] = [];
  for (const state of ['skipped', 'failed'] as const) {
    const groups = new Map<string, { label: string; note: string; count: number }>();
    for (const test of tests.filter((t) => t.state === state)) {
      const label = test.group === '' ? test.file : `${test.file} › ${test.group}`;
      const note = describeMissing(test.tools);
      const key = `${label}\0${note}`;
      const group = groups.get(key) ?? { label, note, count: 0 };
      group.count += 1;
      groups.set(key, group);
    }
    if (groups.size === 0) continue;
    const affected = tests.filter((t) => t.state === state);
    const packages = [...new Set(affected.flatMap((t) => t.tools.map((m) => m.debianPackage)))];
    const need = `${plural(affected.length)} ${affected.length === 1 ? 'needs' : 'need'}`;
    lines.push(
      '',
      state === 'skipped'
        ? `Skipped: ${need} tools from outside npm that this machine lacks (CI=true fails them instead)`
        : `Failed: ${need} tools from outside npm that this machine lacks (CI=true runs every test)`,
    );
    for (const group of [...groups.values()].sort((a, b) => a.label.localeCompare(b.label))) {
      lines.push(`  ${group.label} (${plural(group.count)}): ${group.note}`);
    }
    lines.push(`  To run them: apt-get install ${packages.sort().join(' ')}`);
  }
  return lines;
}
