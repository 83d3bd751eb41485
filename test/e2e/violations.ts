/** The page's Content-Security-Policy violations, recorded from before its first script on every load. */
import type { Page } from 'playwright-core';

export interface Violation { directive: string; blocked: string }

declare global {
  interface Window { psViolations: Violation[] }
}

export async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.psViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.psViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
  });
}

/** What was recorded on the page as it is now. */
export function violations(page: Page): Promise<Violation[]> {
  return page.evaluate(() => window.psViolations);
}
