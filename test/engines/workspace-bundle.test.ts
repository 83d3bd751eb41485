/**
 * The whole workspace as one file, end to end in Node: two datasets and the workspace settings are
 * exported, the profile is cleared, and the file is imported to the same records of both datasets
 * under new ids, with the settings that differ returned rather than written; changed bytes,
 * malformed lines and taken names are refused with nothing written.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DatasetNameClashesError } from '../../src/core/workspace/errors';
import { WorkspaceFileError } from '../../src/core/workspace/reader';
import { WorkspaceEngine, type BundleImport } from '../../src/engines/workspace-engine';
import { planNames } from '../../src/engines/workspace-bundle';
import { DatasetStore } from '../../src/store/dataset-store';
import { WorkspaceStore } from '../../src/store/workspace-store';
import { useFreshIndexedDb } from '../store/helpers';
import { makeDataset, readyNames, replaceLine, snapshot, storedDatasetCount } from './workspace-fixture';

beforeEach(useFreshIndexedDb);
afterEach(() => vi.unstubAllGlobals());

const PRIVATE_ON = [{ key: 'page:privateMode', value: true }];
const PRIVATE_OFF = [{ key: 'page:privateMode', value: false }];
/** A removed dataset's cache left in the settings store: it names a dataset, so it is not the workspace's. */
const ORPHAN_KEY = 'spaceCache:0b5e3f4c-1111-4222-8333-944445555666';

/** Two datasets and settings of every sort; resolves with the datasets' ids by name. */
async function makeWorkspace(): Promise<Record<string, string>> {
  const scrubbers = await makeDataset('Scrubbers');
  const filters = await makeDataset('Filters');
  const store = await DatasetStore.open();
  try {
    await store.setSetting('modelRef', 'bundled/minilm');
    await store.setSetting('mapSettings', { layout: { neighbours: 12 }, colour: 'year' });
    await store.setSetting('activeDatasetId', filters);
    await store.setSetting('bundledDemoDatasetId', scrubbers);
    await store.setSetting(ORPHAN_KEY, { layout: new Float32Array(2) });
  } finally {
    store.close();
  }
  return { Scrubbers: scrubbers, Filters: filters };
}

async function exportWorkspace(): Promise<Blob> {
  const engine = new WorkspaceEngine();
  try {
    return (await engine.exportWorkspace({ pageSettings: PRIVATE_ON })).blob;
  } finally {
    await engine.close();
  }
}

async function importWorkspace(blob: Blob, choices?: Record<number, string | null>): Promise<BundleImport> {
  const engine = new WorkspaceEngine();
  try {
    return await engine.importWorkspace(blob, { choices, pageSettings: PRIVATE_OFF });
  } finally {
    await engine.close();
  }
}

async function setting(key: string): Promise<unknown> {
  const store = await DatasetStore.open();
  try {
    return await store.getSetting(key);
  } finally {
    store.close();
  }
}

describe('the whole workspace as one file', () => {
  it('exports two datasets and the workspace settings and imports them into a cleared profile to the same records', async () => {
    const ids = await makeWorkspace();
    const before = { Scrubbers: await snapshot(ids.Scrubbers), Filters: await snapshot(ids.Filters) };
    const engine = new WorkspaceEngine();
    const exported = await engine.exportWorkspace({ pageSettings: PRIVATE_ON });
    expect(await engine.fileKind(exported.blob)).toBe('workspace');
    await engine.close();
    expect(exported.fileName).toMatch(/^patent-space-workspace-\d{4}-\d\d-\d\d\.psx\.jsonl$/);
    expect(exported.datasets).toEqual(['Scrubbers', 'Filters']);
    expect(exported.counts).toMatchObject({ patent: 80, embedding: 6, matchJob: 2, conversation: 2, setting: 6 });
    // Model, map settings, private mode: not the machine's own, the orphan, or one whose value is a dataset id.
    expect(exported.workspaceSettings).toBe(3);

    useFreshIndexedDb();
    const store = await DatasetStore.open();
    await store.setSetting('modelRef', 'other/model');
    store.close();
    const progress: number[] = [];
    const importer = new WorkspaceEngine();
    const imported = await importer.importWorkspace(exported.blob, { pageSettings: PRIVATE_OFF }, (p) => progress.push(p.done));
    expect(progress.at(-1)).toBe(exported.blob.size * 2);
    expect(imported.datasets.map((d) => d.dataset.name)).toEqual(['Scrubbers', 'Filters']);
    expect(imported.skipped).toEqual([]);
    for (const { dataset, counts } of imported.datasets) {
      expect(Object.values(ids)).not.toContain(dataset.id);
      expect(dataset).toMatchObject({ status: 'ready', patentCount: 40 });
      expect(counts).toMatchObject({ patent: 40, embedding: 3, setting: 3 });
      const after = await snapshot(dataset.id);
      const was = before[dataset.name as keyof typeof before];
      for (const key of Object.keys(was)) expect({ key, value: after[key] }).toEqual({ key, value: was[key] });
    }
    expect(await readyNames()).toEqual(['Filters', 'Scrubbers']);

    // The settings that differ are returned, and nothing is written until the user agrees.
    expect(imported.settings.map((s) => [s.key, s.value, s.current])).toEqual([
      ['mapSettings', { layout: { neighbours: 12 }, colour: 'year' }, undefined],
      ['modelRef', 'bundled/minilm', 'other/model'],
      ['page:privateMode', true, false],
    ]);
    expect(await setting('modelRef')).toBe('other/model');
    expect(await setting('mapSettings')).toBeUndefined();
    for (const key of ['activeDatasetId', 'bundledDemoDatasetId', 'activeDataset', ORPHAN_KEY]) expect(await setting(key)).toBeUndefined();
    await importer.applySettings(imported.settings.filter((s) => s.key !== 'mapSettings'));
    await importer.close();
    expect(await setting('modelRef')).toBe('bundled/minilm');
    expect(await setting('mapSettings')).toBeUndefined();
    expect(await setting('page:privateMode')).toBeUndefined(); // the page's own, applied there
  });

  it('refuses a file whose records or settings were changed, naming the section, and writes nothing', async () => {
    await makeWorkspace();
    const text = await (await exportWorkspace()).text();
    useFreshIndexedDb();
    const lines = text.split('\n');
    const patentOfSecond = lines.findIndex((line) => line.includes('"dataset":1') && line.includes('"Patent 3"'));
    const tampered = replaceLine(text, patentOfSecond, (line) => line.replace('"Patent 3"', '"Patent 33"'));
    const error = (await importWorkspace(tampered).catch((e: unknown) => e)) as WorkspaceFileError;
    expect(error).toBeInstanceOf(WorkspaceFileError);
    expect(error.errors).toEqual([{ line: 1, reason: 'the checksum of the patent records of dataset 2 (“Filters”) does not match the manifest (the file was changed or damaged)' }]);

    const modelLine = lines.findIndex((line) => line.includes('"key":"modelRef"'));
    const changedSetting = replaceLine(text, modelLine, (line) => line.replace('bundled/minilm', 'elsewhere/model'));
    await expect(importWorkspace(changedSetting)).rejects.toThrow(/checksum of the setting records of the workspace/);
    const dropped = replaceLine(text, modelLine, () => JSON.stringify({ kind: 'setting', dataset: 0, value: { key: 'x', value: 1 } }));
    const moved = (await importWorkspace(dropped).catch((e: unknown) => e)) as WorkspaceFileError;
    expect(moved.errors).toEqual([
      { line: 1, reason: 'the manifest lists 3 setting records of dataset 1 (“Scrubbers”) but the file has 4' },
      { line: 1, reason: 'the manifest lists 3 setting records of the workspace but the file has 2' },
    ]);
    expect(await storedDatasetCount()).toBe(0);
  });

  it('reports malformed lines by their line number, writing nothing', async () => {
    await makeWorkspace();
    const text = await (await exportWorkspace()).text();
    useFreshIndexedDb();
    const patent = { id: 'x', year: 2001, title: 't', codes: [] };
    let broken = replaceLine(text, 3, (line) => line.slice(0, 20)); // line 4: cut short
    broken = replaceLine(await broken.text(), 5, () => JSON.stringify({ kind: 'patent', value: patent })); // line 6
    broken = replaceLine(await broken.text(), 7, () => JSON.stringify({ kind: 'patent', dataset: 2, value: patent })); // line 8
    broken = replaceLine(await broken.text(), 9, () => JSON.stringify({ kind: 'patent', dataset: -1, value: patent })); // line 10
    const error = (await importWorkspace(broken).catch((e: unknown) => e)) as WorkspaceFileError;
    expect(error).toBeInstanceOf(WorkspaceFileError);
    expect(error.errors).toEqual([
      { line: 4, reason: 'the line is not valid JSON' },
      { line: 6, reason: 'the patent record names no dataset' },
      { line: 8, reason: 'the patent record names dataset 2, which the manifest does not list' },
      { line: 10, reason: "the line's dataset is not a dataset number" },
    ]);
    expect(await storedDatasetCount()).toBe(0);
  });

  it('is refused at line 1 by the dataset importer, and a dataset file line naming a dataset is refused too', async () => {
    await makeWorkspace();
    const blob = await exportWorkspace();
    const engine = new WorkspaceEngine();
    const error = (await engine.importFile(blob).catch((e: unknown) => e)) as WorkspaceFileError;
    expect(error.errors).toEqual([{ line: 1, reason: 'the first line is not a Patent Space manifest' }]);
    const datasetFile = await (await engine.exportDataset((await readyIds())[0])).blob.text();
    const named = replaceLine(datasetFile, 1, (line) => line.replace('{"kind":"patent",', '{"kind":"patent","dataset":0,'));
    const refused = (await engine.importFile(named, { name: 'New' }).catch((e: unknown) => e)) as WorkspaceFileError;
    expect(refused.errors).toEqual([{ line: 2, reason: "the patent record names a dataset, as only a workspace file's records do" }]);
    expect(await engine.fileKind(named)).toBe('dataset');
    await engine.close();
    expect(await storedDatasetCount()).toBe(2);
  });

  it('asks per dataset whose name is taken, imports under the chosen names or skips, and replaces nothing', async () => {
    const ids = await makeWorkspace();
    const before = await snapshot(ids.Scrubbers);
    const blob = await exportWorkspace();
    const clash = await importWorkspace(blob).catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(DatasetNameClashesError);
    expect((clash as DatasetNameClashesError).clashes).toEqual([
      { index: 0, name: 'Scrubbers', suggestedName: 'Scrubbers (2)' },
      { index: 1, name: 'Filters', suggestedName: 'Filters (2)' },
    ]);
    expect(await storedDatasetCount()).toBe(2);

    // A chosen name that is taken too is asked about again.
    const again = (await importWorkspace(blob, { 0: 'Filters', 1: null }).catch((e: unknown) => e)) as DatasetNameClashesError;
    expect(again.clashes).toEqual([{ index: 0, name: 'Filters', suggestedName: 'Filters (2)' }]);

    const imported = await importWorkspace(blob, { 0: 'Scrubbers (2)', 1: null });
    expect(imported.datasets.map((d) => d.dataset.name)).toEqual(['Scrubbers (2)']);
    expect(imported.skipped).toEqual(['Filters']);
    expect(await readyNames()).toEqual(['Filters', 'Scrubbers', 'Scrubbers (2)']);
    expect(await snapshot(ids.Scrubbers)).toEqual(before);
    const { dataset: _a, ...copied } = await snapshot(imported.datasets[0].dataset.id);
    const { dataset: _b, ...original } = before;
    expect(copied).toEqual(original);
  });

  it('gives two datasets of one file with the same name different names', () => {
    expect(planNames(['A', 'B'], new Set(['C']))).toEqual(['A', 'B']);
    const error = (() => { try { planNames(['A', 'A'], new Set(['A (2)'])); } catch (e) { return e; } return null; })();
    expect(error).toBeInstanceOf(DatasetNameClashesError);
    expect((error as DatasetNameClashesError).clashes).toEqual([{ index: 1, name: 'A', suggestedName: 'A (3)' }]);
    expect(planNames(['A', 'A'], new Set(), { 1: 'A, again' })).toEqual(['A', 'A, again']);
  });

  it('leaves none of the datasets when a write fails part-way, even after the first was written whole', async () => {
    await makeWorkspace();
    const blob = await exportWorkspace();
    useFreshIndexedDb();
    let batches = 0;
    const original = WorkspaceStore.prototype.putBatch;
    const failing = vi.spyOn(WorkspaceStore.prototype, 'putBatch').mockImplementation(async function (this: WorkspaceStore, id, batch) {
      // Fail on a batch of the second dataset, after the first one's records are all in.
      if (batch.patent?.some((p) => p.id === 'p00039') && ++batches === 2) throw new Error('tab closed');
      return original.call(this, id, batch);
    });
    await expect(importWorkspace(blob)).rejects.toThrow('tab closed');
    failing.mockRestore();
    expect(await storedDatasetCount()).toBe(0);
    expect(await readyNames()).toEqual([]);
  });
});

describe('cancelling a workspace import', () => {
  it('leaves nothing when cancelled while the datasets are being written', async () => {
    await makeWorkspace();
    const blob = await exportWorkspace();
    useFreshIndexedDb();
    const controller = new AbortController();
    const engine = new WorkspaceEngine();
    // The second pass (the writing one) reports past the file's size: cancel there.
    const importing = engine.importWorkspace(blob, { signal: controller.signal }, (p) => { if (p.done > blob.size) controller.abort(); });
    await expect(importing).rejects.toMatchObject({ name: 'AbortError' });
    await engine.close();
    expect(controller.signal.aborted).toBe(true);
    expect(await storedDatasetCount()).toBe(0);
  });
});

async function readyIds(): Promise<string[]> {
  const store = await WorkspaceStore.open();
  try {
    return (await store.allDatasets()).map((d) => d.id);
  } finally {
    store.close();
  }
}
