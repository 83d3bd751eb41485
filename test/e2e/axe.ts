/**
 * Accessibility checks for the browser suite: axe-core (through @axe-core/playwright, which reaches
 * into Lit's open shadow roots) over the page as it stands, keeping the violations a user of a
 * screen reader or a keyboard cannot work around: those axe rates serious or critical.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Result } from 'axe-core';
import type { Page } from 'playwright-core';

const BLOCKING = new Set(['serious', 'critical']);

/** The serious and critical violations on the page now, one readable line per element. */
export async function blockingViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => BLOCKING.has(v.impact ?? '')).flatMap(describe);
}

function describe(violation: Result): string[] {
  return violation.nodes.map((node) => {
    const target = node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' | ');
    const why = (node.failureSummary ?? '').replace(/\s+/g, ' ').trim();
    return `[${violation.impact}] ${violation.id} (${violation.help}) at ${target}: ${why}`;
  });
}
