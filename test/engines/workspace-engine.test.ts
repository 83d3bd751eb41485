/**
 * Dataset files end to end in Node: a dataset with patents, vectors (two chunks), a map layout, a
 * match job, a conversation and its settings is exported, the profile is cleared, and the file is
 * imported into it to the same records under a new id; a changed byte, a malformed line and a
 * taken name are refused with nothing written.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkspaceFileError } from '../../src/core/workspace/reader';
import { DatasetNameClashError, WorkspaceEngine, fileNameFor } from '../../src/engines/workspace-engine';
import { DatasetStore } from '../../src/store/dataset-store';
import { WorkspaceStore } from '../../src/store/workspace-store';
import { useFreshIndexedDb } from '../store/helpers';
import { makeDataset, readyNames, replaceLine, snapshot, storedDatasetCount, VECTOR_ROWS } from './workspace-fixture';

beforeEach(useFreshIndexedDb);
afterEach(() => vi.unstubAllGlobals());

async function exportFile(datasetId: string): Promise<Blob> {
  const engine = new WorkspaceEngine();
  try {
    return (await engine.exportDataset(datasetId)).blob;
  } finally {
    await engine.close();
  }
}

describe('WorkspaceEngine', () => {
  it('exports a dataset with all it keeps and imports it into a cleared profile to the same records', async () => {
    const id = await makeDataset();
    const before = await snapshot(id);
    const origin = await DatasetStore.open();
    const fingerprint = (await origin.getDataset(id))?.fingerprint;
    origin.close();
    const engine = new WorkspaceEngine();
    const exported = await engine.exportDataset(id);
    await engine.close();
    expect(exported.fileName).toBe('Scrubbers.psx.jsonl');
    expect(exported.counts).toMatchObject({ patent: 40, embedding: 3, matchJob: 1, matchJobInput: 1, matchJobChunk: 1, conversation: 1, setting: 3 });

    useFreshIndexedDb(); // a cleared profile
    expect(await readyNames()).toEqual([]);
    const progress: number[] = [];
    const importer = new WorkspaceEngine();
    const imported = await importer.importFile(exported.blob, {}, (p) => progress.push(p.done));
    await importer.close();
    expect(imported.dataset.id).not.toBe(id);
    expect(imported.dataset).toMatchObject({ name: 'Scrubbers', status: 'ready', patentCount: 40 });
    // A new id, the same content identity: links made on the first machine find it here.
    expect(fingerprint).toMatch(/^[0-9a-z]+-[0-9a-f]{16}$/);
    expect(imported.dataset.fingerprint).toBe(fingerprint);
    expect(progress.at(-1)).toBe(exported.blob.size * 2);

    const after = await snapshot(imported.dataset.id);
    for (const key of Object.keys(before)) expect({ key, value: after[key] }).toEqual({ key, value: before[key] });
    expect(await readyNames()).toEqual(['Scrubbers']);
    // The selection's own dataset id now names the new dataset.
    const store = await DatasetStore.open();
    expect(await store.getSetting(`selection:${imported.dataset.id}`)).toEqual({ datasetId: imported.dataset.id, ids: ['p00001'] });
    expect((await store.getEmbeddings(imported.dataset.id, 'minilm'))?.ids.length).toBe(VECTOR_ROWS);
    expect(await store.getSetting('activeDataset')).toBeUndefined();
    store.close();
  });

  it('refuses a file whose records were changed, writing nothing', async () => {
    const blob = await exportFile(await makeDataset());
    useFreshIndexedDb();
    const text = await blob.text();
    const patentLine = text.split('\n').findIndex((line) => line.includes('"Patent 3"'));
    const tampered = replaceLine(text, patentLine, (line) => line.replace('"Patent 3"', '"Patent 33"'));
    const engine = new WorkspaceEngine();
    const error = await engine.importFile(tampered).catch((e: unknown) => e);
    await engine.close();
    expect(error).toBeInstanceOf(WorkspaceFileError);
    expect((error as WorkspaceFileError).errors).toEqual([{ line: 1, reason: expect.stringContaining('checksum of the patent records') }]);
    expect(await storedDatasetCount()).toBe(0);
  });

  it('reports malformed lines by their line number, writing nothing', async () => {
    const blob = await exportFile(await makeDataset());
    useFreshIndexedDb();
    const text = await blob.text();
    let broken = replaceLine(text, 4, (line) => line.slice(0, 20)); // line 5: cut short
    broken = replaceLine(await broken.text(), 6, () => JSON.stringify({ kind: 'patent', value: { id: 'x', title: 't', codes: [] } })); // line 7: no year
    broken = replaceLine(await broken.text(), 8, () => JSON.stringify({ kind: 'painting', value: {} })); // line 9
    const engine = new WorkspaceEngine();
    const error = (await engine.importFile(broken).catch((e: unknown) => e)) as WorkspaceFileError;
    await engine.close();
    expect(error).toBeInstanceOf(WorkspaceFileError);
    expect(error.errors).toEqual([
      { line: 5, reason: 'the line is not valid JSON' },
      { line: 7, reason: 'the patent record has no number "year"' },
      { line: 9, reason: 'unknown record kind "painting"' },
    ]);
    expect(error.message).toContain('line 5');
    expect(await storedDatasetCount()).toBe(0);
  });

  it('refuses a file that is not a dataset file at line 1', async () => {
    const engine = new WorkspaceEngine();
    const error = (await engine.importFile(new Blob(['id,title\n1,x\n'])).catch((e: unknown) => e)) as WorkspaceFileError;
    await engine.close();
    expect(error.errors).toEqual([{ line: 1, reason: expect.stringContaining('not JSON') }]);
  });

  it('asks before using a name that is taken, and never replaces the dataset that has it', async () => {
    const id = await makeDataset();
    const before = await snapshot(id);
    const blob = await exportFile(id);
    const engine = new WorkspaceEngine();
    const clash = await engine.importFile(blob).catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(DatasetNameClashError);
    expect(clash).toMatchObject({ existingName: 'Scrubbers', suggestedName: 'Scrubbers (2)' });
    expect(await storedDatasetCount()).toBe(1);

    const copy = await engine.importFile(blob, { name: 'Scrubbers (2)' });
    await engine.close();
    expect(copy.dataset.id).not.toBe(id);
    expect(await readyNames()).toEqual(['Scrubbers', 'Scrubbers (2)']);
    expect(await snapshot(id)).toEqual(before);
    const { dataset: _a, ...copied } = await snapshot(copy.dataset.id);
    const { dataset: _b, ...original } = before;
    expect(copied).toEqual(original);
  });

  it('leaves nothing when a write fails part-way', async () => {
    const blob = await exportFile(await makeDataset());
    useFreshIndexedDb();
    const failing = vi.spyOn(WorkspaceStore.prototype, 'finishImport').mockRejectedValueOnce(new Error('tab closed'));
    const engine = new WorkspaceEngine();
    await expect(engine.importFile(blob)).rejects.toThrow('tab closed');
    await engine.close();
    failing.mockRestore();
    expect(await storedDatasetCount()).toBe(0);
    const store = await DatasetStore.open();
    expect(await store.getSetting('activeDataset')).toBeUndefined();
    store.close();
  });

  it('names the file after the dataset, safely', () => {
    expect(fileNameFor('Wet / dry scrubbers: 2000–2020')).toBe('Wet-dry-scrubbers-2000-2020.psx.jsonl');
    expect(fileNameFor('***')).toBe('dataset.psx.jsonl');
  });
});
