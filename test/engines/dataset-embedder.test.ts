/**
 * The dataset embedder over a stored dataset with untitled patents (a real Lens export has
 * them): they get no vector, are said to have none, and the stored vectors are reused as they are.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { patentText } from '../../src/core/patent-text';
import type { Patent } from '../../src/core/types';
import { DatasetEmbedder } from '../../src/engines/dataset-embedder';
import { localModelSource } from '../../src/ml/local-model';
import { DatasetStore } from '../../src/store/dataset-store';
import { countCodes, makePatents, makeReport, useFreshIndexedDb } from '../store/helpers';

const MODEL = 'ps-encoder-tiny';

describe('embedding a dataset with patents that have no text', () => {
  it('embeds only the patents with text, says how many had none, and reuses the stored vectors', async () => {
    useFreshIndexedDb();
    const patents: Patent[] = makePatents(30).map((p, i) => (i % 6 === 0 ? { id: p.id, year: p.year, title: '', codes: p.codes } : p));
    const untitled = patents.filter((p) => patentText(p) === '').map((p) => p.id);
    expect(untitled).toHaveLength(5);
    const store = await DatasetStore.open();
    const dataset = await store.createDataset({ name: 'lens', level: 'subclass', sourceFiles: [] });
    await store.putPatents(dataset.id, patents);
    await store.finishImport(dataset.id, makeReport(patents.length), countCodes(patents));

    const embedder = new DatasetEmbedder();
    await embedder.load({ source: localModelSource('models', MODEL), devices: ['cpu'] });
    const first = await embedder.embedDataset(dataset.id);
    expect(first).toMatchObject({ count: 25, withoutText: 5, reused: false });
    const stored = await store.getEmbeddings(dataset.id, first.modelId);
    expect(stored?.ids).toHaveLength(25);
    expect(stored?.ids.filter((id) => untitled.includes(id))).toEqual([]);
    // The untitled patents are still in the dataset: co-occurrence and the graph methods count them.
    expect(await store.countPatents(dataset.id)).toBe(30);
    await expect(embedder.embedDataset(dataset.id)).resolves.toMatchObject({ count: 25, withoutText: 5, reused: true });
    await embedder.destroy();
    store.close();
  });

  it('says so when no patent has any text to embed', async () => {
    useFreshIndexedDb();
    const store = await DatasetStore.open();
    const dataset = await store.createDataset({ name: 'codes only', level: 'subclass', sourceFiles: [] });
    const patents = makePatents(4).map((p) => ({ id: p.id, year: p.year, title: '', codes: p.codes }));
    await store.putPatents(dataset.id, patents);
    await store.finishImport(dataset.id, makeReport(4), countCodes(patents));
    const embedder = new DatasetEmbedder();
    await embedder.load({ source: localModelSource('models', MODEL), devices: ['cpu'] });
    await expect(embedder.embedDataset(dataset.id)).rejects.toThrow(/None of the 4 patents has a title or an abstract/);
    await embedder.destroy();
    store.close();
  });
});
