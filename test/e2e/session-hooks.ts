/**
 * One browser for a describe block's tests: opened before the first (then `prepare`d, e.g. the
 * demo opened), closed after the last. Apart from browser.ts, which the screenshot script also
 * imports outside the test runner.
 */
import { afterAll, beforeAll } from 'vitest';
import { openBrowser, type BrowserSession } from './browser';

export function browserForAll(options: Parameters<typeof openBrowser>[0], prepare?: (session: BrowserSession) => Promise<void>): () => BrowserSession {
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    session = await openBrowser(options);
    await prepare?.(session);
  });
  afterAll(async () => {
    await session?.close();
    session = undefined;
  });
  return () => {
    if (!session) throw new Error('The browser is open only while the block’s tests run.');
    return session;
  };
}
