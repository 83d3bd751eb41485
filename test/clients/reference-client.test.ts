import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

const FILES: Record<string, string> = {
  'http://app.test/sub/reference/sdg-impacts.json': readFileSync('public/reference/sdg-impacts.json', 'utf8'),
  'http://app.test/sub/reference/ipc-titles.json': readFileSync('public/reference/ipc-titles.json', 'utf8'),
};

function stubPage(status = 200) {
  const fetched: string[] = [];
  vi.stubGlobal('location', { href: 'http://app.test/sub/index.html' });
  vi.stubGlobal('fetch', async (url: string) => {
    fetched.push(url);
    const body = FILES[url];
    return new Response(status === 200 && body !== undefined ? body : 'missing', { status: body === undefined ? 404 : status });
  });
  return fetched;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('reference client', () => {
  it('fetches each file once, relative to the page, and shares the parsed object', async () => {
    const fetched = stubPage();
    const { loadIpcTitles, loadSdgImpacts } = await import('../../src/clients/reference-client');
    const [a, b] = await Promise.all([loadSdgImpacts(), loadSdgImpacts()]);
    expect(a).toBe(b);
    expect(a.goals).toHaveLength(17);
    const titles = await loadIpcTitles();
    expect(titles.title('H04L 9/06')?.code).toBe('H04L 9/00');
    expect(await loadIpcTitles()).toBe(titles);
    expect(fetched).toEqual(['http://app.test/sub/reference/sdg-impacts.json', 'http://app.test/sub/reference/ipc-titles.json']);
  });

  it('says which file failed, and tries again on the next call', async () => {
    const fetched = stubPage(500);
    const { loadSdgImpacts } = await import('../../src/clients/reference-client');
    await expect(loadSdgImpacts()).rejects.toThrow('the SDG impact table reference/sdg-impacts.json could not be read (HTTP 500)');
    await expect(loadSdgImpacts()).rejects.toThrow(/HTTP 500/);
    expect(fetched).toHaveLength(2);
  });
});
