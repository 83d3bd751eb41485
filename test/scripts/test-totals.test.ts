import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countTotals } from '../../scripts/test-totals.mjs';

/** A real vitest JSON report (trimmed): a file whose beforeAll threw, with 3 tests under it, 1 test
 * outside that passed and 1 `it.skip`. Vitest reports the 3 and the skip as "skipped". */
const beforeAllFailure = JSON.parse(readFileSync('test/fixtures/vitest/before-all-failure.json', 'utf8'));

describe('test totals', () => {
  it('count every test of a failed file that did not pass as failed, never as skipped', () => {
    expect(countTotals(beforeAllFailure)).toEqual({ passed: 1, failed: 4, skipped: 0 });
  });

  it('count a failed file with no tests (it did not load) as one failure', () => {
    expect(countTotals({ testResults: [{ status: 'failed', assertionResults: [] }] })).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });

  it('keep real skips of a passing file as skips', () => {
    const report = { testResults: [{ status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'skipped' }, { status: 'pending' }] }] };
    expect(countTotals(report)).toEqual({ passed: 1, failed: 0, skipped: 2 });
  });
});
