/**
 * The catalogue engine as the ingest worker exposes it, over a real MessageChannel: what the
 * page asks for (overview, a document's sections, a section with its text) is plain data that
 * survives structured cloning, and the bundled URL the page passes is the one fetched.
 */
import 'fake-indexeddb/auto';
import * as Comlink from 'comlink';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CatalogueEngine } from '../../src/engines/catalogue-engine';
import { ImportEngine } from '../../src/engines/import-engine';
import { installBoundary } from '../../workers/boundary';
import { useFreshIndexedDb } from '../store/helpers';

const ports: MessagePort[] = [];
const engines: CatalogueEngine[] = [];
function connect(engine: CatalogueEngine) {
  // The same shape as workers/ingest.worker.ts.
  const api = { patents: Comlink.proxy(new ImportEngine()), catalogue: Comlink.proxy(engine) };
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  engines.push(engine);
  Comlink.expose(api, port1);
  return Comlink.wrap<typeof api>(port2);
}

beforeEach(useFreshIndexedDb);
afterEach(async () => {
  for (const p of ports.splice(0)) p.close();
  for (const e of engines.splice(0)) await e.destroy();
  vi.unstubAllGlobals();
});

describe('the ingest worker’s catalogue engine across Comlink', () => {
  it('gives documents, pollutant names and a document’s sections as plain data', async () => {
    installBoundary();
    const remote = connect(new CatalogueEngine({ dbName: 'w0', bundled: () => readFile('public/catalogue/bref-catalogue.json', 'utf8') }));
    const overview = await remote.catalogue.overview();
    expect(overview.counts).toMatchObject({ documents: 32, sections: 5432, pollutants: 74 });
    expect(overview.documents).toHaveLength(32);
    expect(overview.pollutants).toHaveLength(74);
    expect(overview.documents.map((d) => d.code)).toContain('CAK');

    const sections = await remote.catalogue.documentSections('CAK');
    expect(sections).toHaveLength(overview.documents.find((d) => d.code === 'CAK')?.sectionCount ?? -1);
    const mercury = sections.find((s) => s.id === 'CAK:::4.1.1');
    expect(mercury).toMatchObject({ number: '4.1.1', document: 'CAK', isTechnique: true });
    expect(Array.isArray(mercury?.path)).toBe(true);
    expect(mercury?.pollutants.every((i) => overview.pollutants[i] !== undefined)).toBe(true);
    expect(await remote.catalogue.documentSections('NOPE')).toEqual([]);
    await expect(remote.catalogue.getSection('bref', 'CAK:::4.1.1')).resolves.toMatchObject({ text: null, section: { id: 'CAK:::4.1.1' } });
  });

  it('fetches the bundled file from the URL the page sets, and again only when it changes', async () => {
    installBoundary();
    const json = await readFile('public/catalogue/bref-catalogue.json', 'utf8');
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(String(url));
      return new Response(url.includes('missing') ? 'gone' : json, { status: url.includes('missing') ? 404 : 200 });
    });
    const remote = connect(new CatalogueEngine({ dbName: 'w1' }));
    await remote.catalogue.setBundledUrl('http://127.0.0.1:4173/catalogue/bref-catalogue.json');
    await remote.catalogue.overview();
    await remote.catalogue.setBundledUrl('http://127.0.0.1:4173/catalogue/bref-catalogue.json');
    await remote.catalogue.documentSections('CWW');
    expect(fetched).toEqual(['http://127.0.0.1:4173/catalogue/bref-catalogue.json']);
    await remote.catalogue.setBundledUrl('http://127.0.0.1:4173/missing.json');
    await expect(remote.catalogue.overview()).rejects.toThrow(/answered 404/);
  });
});
