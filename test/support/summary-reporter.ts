import type { Reporter, TestModule, TestSuite } from "vitest/node";

/**
 * Prints one plain closing line, `vitest: N passed, N failed, N skipped`, that CI logs can read.
 * A suite or file that failed outside any test (a throwing beforeAll, an import error) counts as
 * one failure, so a broken setup can never read as "0 failed".
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const failedOutsideTests = (node: TestModule | TestSuite): boolean =>
      node.state() === "failed" &&
      ![...node.children.allTests()].some((t) => t.result().state === "failed");
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      if (failedOutsideTests(mod)) failed++;
      for (const suite of mod.children.allSuites()) if (failedOutsideTests(suite)) failed++;
    }
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
