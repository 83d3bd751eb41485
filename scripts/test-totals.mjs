// Totals of one vitest JSON report, as the test command prints them.
//
// Vitest marks the tests of a file whose beforeAll threw as "skipped", and a file that fails to
// load has no tests at all. Neither may look like a skip: every test of a failed file that did not
// pass counts as failed, and a failed file with nothing to count counts as one failure.

/**
 * @param {{ testResults: Array<{ status: string, assertionResults: Array<{ status: string }> }> }} report
 * @returns {{ passed: number, failed: number, skipped: number }}
 */
export function countTotals(report) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const file of report.testResults) {
    const passed = file.assertionResults.filter((a) => a.status === 'passed').length;
    const failed = file.assertionResults.filter((a) => a.status === 'failed').length;
    const other = file.assertionResults.length - passed - failed;
    totals.passed += passed;
    if (file.status === 'failed') {
      totals.failed += Math.max(failed + other, 1);
    } else {
      totals.failed += failed;
      totals.skipped += other;
    }
  }
  return totals;
}
