import type { Reporter, TestModule } from 'vitest/node';
import { formatMissingToolsBlock, type ToolBlockedTest } from './helpers/missing-tools-block.js';

/**
 * Prints, after vitest's own summary, the test groups that did not run because a tool from
 * outside npm is missing (test/helpers/tools.ts), then one plain closing line,
 * `tests: N passed, N failed, N skipped`, so that any log reader can tell a run that tested
 * nothing from one that passed.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const blocked: ToolBlockedTest[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
        const missing = test.meta().missingTools;
        if (missing !== undefined && (state === 'skipped' || state === 'failed')) {
          blocked.push({ file: module.relativeModuleId, ...missing, state });
        }
      }
    }
    const block = formatMissingToolsBlock(blocked);
    if (block.length > 0) process.stdout.write(`${block.join('\n')}\n`);
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
