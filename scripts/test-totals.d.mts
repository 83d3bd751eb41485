export interface VitestFileResult {
  status: string;
  assertionResults: Array<{ status: string }>;
}
export function countTotals(report: { testResults: VitestFileResult[] }): { passed: number; failed: number; skipped: number };
