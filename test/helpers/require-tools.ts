/**
 * How a test group says which tools from outside npm it needs (test/helpers/tools.ts).
 *
 * `npm test` must pass on a machine with nothing but Node: a group that needs a missing tool is
 * skipped, with the tools and their packages recorded for the closing block of
 * test/summary-reporter.ts. In CI (`CI=true`, and always in .ci/run, which installs every
 * package) a missing tool fails the group instead, so CI still runs everything.
 */
import { beforeEach, TestRunner, type TestContext } from 'vitest';
import {
  describeMissing,
  isCi,
  locateTool,
  TOOLS,
  type MissingTool,
  type ToolName,
} from './tools.js';

declare module 'vitest' {
  interface TaskMeta {
    /** Set on a test skipped (or, in CI, failed) because tools it needs are missing. */
    missingTools?: { readonly group: string; readonly tools: readonly MissingTool[] };
  }
}

const located = new Map<ToolName, string | undefined>();

/**
 * Where `tool` is on this machine (the command, the python3 that imports the module, or the Go
 * source directory), found through PATH once per test file; undefined when it is missing.
 */
export function toolPath(tool: ToolName): string | undefined {
  if (!located.has(tool)) located.set(tool, locateTool(tool, process.env.PATH ?? ''));
  return located.get(tool);
}

function missingOf(tools: readonly ToolName[]): MissingTool[] {
  return tools
    .filter((tool) => toolPath(tool) === undefined)
    .map((tool) => ({ tool, debianPackage: TOOLS[tool].debianPackage }));
}

/** Records the missing tools on the test, then skips it, or in CI fails it. */
function stopTest(context: TestContext, group: string, missing: readonly MissingTool[]): void {
  context.task.meta.missingTools = { group, tools: missing };
  const note = describeMissing(missing);
  if (isCi()) {
    throw new Error(
      `${note}: not installed. CI=true runs every test, so a missing tool fails it; .ci/run installs the packages`,
    );
  }
  context.skip(note);
}

/**
 * Declares that the tests of the enclosing `describe` (or of the whole file, at its top level)
 * need these tools. When one is missing, each of those tests is skipped with a note naming the
 * tools and their Debian packages; in CI it fails with that message instead. Returns whether all
 * are present, so that a `beforeAll` that uses them can do nothing when they are not.
 *
 * @example
 * const haveSquashfs = requireTools('mksquashfs');
 * beforeAll(() => { if (haveSquashfs) image = squashfs(root); });
 */
export function requireTools(...tools: readonly ToolName[]): boolean {
  const missing = missingOf(tools);
  if (missing.length === 0) return true;
  const group = TestRunner.getCurrentSuite().name;
  beforeEach((context) => {
    stopTest(context, group, missing);
  });
  return false;
}

/**
 * The same for one test among others that need nothing: called first in its body.
 *
 * @example
 * it('scans a cpio image', (context) => { requireToolsInTest(context, 'cpio'); … });
 */
export function requireToolsInTest(context: TestContext, ...tools: readonly ToolName[]): void {
  const missing = missingOf(tools);
  if (missing.length > 0) stopTest(context, context.task.name, missing);
}
