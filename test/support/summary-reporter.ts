// Prints the closing line CI reads: "N passed, N failed, N skipped".
// Playwright's own reporters print these counts on separate lines; this one keeps them together.
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SummaryReporter implements Reporter {
  private readonly outcome = new Map<string, 'passed' | 'failed' | 'skipped'>();

  onTestEnd(test: TestCase, result: TestResult): void {
    // A retried test counts once, by its final outcome.
    const ok = test.outcome();
    if (ok === 'skipped') this.outcome.set(test.id, 'skipped');
    else if (ok === 'expected' || ok === 'flaky') this.outcome.set(test.id, 'passed');
    else if (result.status !== 'skipped' || ok === 'unexpected') this.outcome.set(test.id, 'failed');
  }

  onEnd(result: FullResult): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const o of this.outcome.values()) {
      if (o === 'passed') passed++;
      else if (o === 'failed') failed++;
      else skipped++;
    }
    if (result.status !== 'passed' && failed === 0) failed = 1; // interrupted, timed out, or a load error
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
