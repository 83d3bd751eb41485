import { createServer } from 'vite';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { isLocal, openBrowser } from '../../e2e/browser';

/**
 * Runs `work` in headless Chromium on a page of Vite's dev server, which compiles the app's own
 * modules on request, so a probe under test/bench/browser/ can import them by path. The page sits
 * at the server's root; nothing may leave 127.0.0.1.
 */
export async function withDevPage<R>(work: (page: Page, base: string) => Promise<R>, viewport?: { width: number; height: number }): Promise<R> {
  const server = await createServer({ server: { host: '127.0.0.1', port: 0 }, logLevel: 'warn', optimizeDeps: { noDiscovery: false } });
  await server.listen();
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite did not report a local URL');
  const session = await openBrowser({ webgpu: false });
  try {
    if (viewport) await session.page.setViewportSize(viewport);
    // A static file, so the app itself does not start and compete for the CPU.
    await session.page.goto(`${base}demo/techniques.json`);
    const result = await work(session.page, base);
    expect(session.requests.filter((u) => !isLocal(u))).toEqual([]);
    return result;
  } finally {
    await session.close();
    await server.close();
  }
}

/** Calls an export of a probe module in the page. A string expression, because vitest rewrites import() inside functions it compiles. */
export function callProbe<R>(page: Page, modulePath: string, exportName: string, args: unknown[]): Promise<R> {
  return page.evaluate(`import(${JSON.stringify(modulePath)}).then((probe) => probe[${JSON.stringify(exportName)}](...${JSON.stringify(args)}))`) as Promise<R>;
}
