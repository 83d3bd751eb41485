/**
 * Dataset files end to end in Node: a dataset with patents, vectors (two chunks), a map layout, a
 * match job, a conversation and its settings is exported, the profile is cleared, and the file is
 * imported into it to the same records under a new id; a changed byte, a malformed line and a
 * taken name are refused with nothing written.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { patentItem } from '../../src/core/chat/items';
import { RECORD_KINDS } from '../../src/core/workspace/format';
import { WorkspaceFileError } from '../../src/core/workspace/reader';
import type { MatchJobRecord, MatchPairChunk } from '../../src/core/match-job/types';
import { DatasetNameClashError, WorkspaceEngine, fileNameFor } from '../../src/engines/workspace-engine';
import { ConversationStore, type StoredTurn } from '../../src/store/conversation-store';
import { DatasetStore } from '../../src/store/dataset-store';
import { MatchJobStore } from '../../src/store/match-job-store';
import { WorkspaceStore } from '../../src/store/workspace-store';
import { countCodes, makePatents, makeReport, useFreshIndexedDb } from '../store/helpers';

beforeEach(useFreshIndexedDb);
afterEach(() => vi.unstubAllGlobals());

const PATENTS = makePatents(40);
/** More rows than one embedding chunk holds, so the file carries two chunks of one model. */
const VECTOR_ROWS = 4100;

function turn(id: string, question: string): StoredTurn {
  return {
    id, request: { kind: 'question', question }, question, answer: `An answer to ${question} [P1].`, status: 'done', note: null,
    context: [{ tag: 'P1', item: patentItem(PATENTS[0]), origin: 'user' }],
    engine: 'sources', startedAt: 1, endedAt: 2,
  };
}

async function makeDataset(name = 'Scrubbers'): Promise<string> {
  const store = await DatasetStore.open();
  const jobs = await MatchJobStore.open();
  const conversations = await ConversationStore.open();
  try {
    const dataset = await store.createDataset({ name, level: 'subclass', sourceFiles: [{ name: 'p.csv', bytes: 10 }] });
    const id = dataset.id;
    await store.putPatents(id, PATENTS);
    await store.finishImport(id, makeReport(PATENTS.length), countCodes(PATENTS));
    const ids = Array.from({ length: VECTOR_ROWS }, (_, i) => `p${String(i).padStart(5, '0')}`);
    const vectors = Float32Array.from({ length: VECTOR_ROWS * 3 }, (_, i) => Math.sin(i));
    await store.putEmbeddings(id, 'minilm', ids, vectors, 3);
    await store.putEmbeddings(id, 'map:umap', ids.slice(0, 40), Float32Array.from({ length: 80 }, (_, i) => i / 7), 2);
    await store.setSetting(`spaceCache:${id}`, { key: 'k', layout: new Float32Array([1, 2, Number.NaN]), patents: 40 });
    await store.setSetting(`vectorProvenance:${id}:minilm`, { source: 'computed', device: 'cpu' });
    await store.setSetting(`selection:${id}`, { datasetId: id, ids: ['p00001'] });
    await store.setSetting('activeDataset', id); // app-wide: not the dataset's
    const job: MatchJobRecord = {
      datasetId: id, id: 'job1', status: 'done', createdAt: 5, updatedAt: 6, patents: 40, sections: 1, sectionsWithText: 1,
      pairs: 2, chunks: 1, verifiedBy: 'tiny', prefilterBackend: 'cpu', verifiedChunks: 1, verifiedPairs: 2, failedPairs: 0,
      timings: { embedSeconds: 0, prefilterSeconds: 0.5, verifySeconds: 1 },
      settings: { catalogueId: 'demo', catalogueName: 'Demo', k: 1, method: 'tfidf', sectionK: 0, verify: true, encoderId: null, matcherRef: 'm', matcherDtype: 'q4' },
    };
    const chunk: MatchPairChunk = {
      datasetId: id, jobId: 'job1', chunk: 0, patentIds: ['p00000', 'p00001'], sectionIds: ['s1', 's1'],
      prefilter: new Float32Array([0.5, 0.25]), prefilterRank: new Int32Array([1, 1]), pYes: new Float32Array([0.9, Number.NaN]),
      truncated: new Uint8Array([0, 1]), failed: new Uint8Array([0, 0]),
    };
    await jobs.createJob(job, [{ id: 's1', title: 'Section 1', text: 'Wet scrubbing', hasText: true }], [chunk]);
    await conversations.saveTurn(id, 'c1', turn('t1', 'Which patents remove ammonia?'), { now: 10 });
    return id;
  } finally {
    store.close();
    jobs.close();
    conversations.close();
  }
}

/** Everything kept with a dataset, with its id written as "ID" so two datasets compare. */
async function snapshot(datasetId: string): Promise<Record<string, unknown>> {
  const store = await WorkspaceStore.open();
  try {
    const out: Record<string, unknown> = {};
    for (const kind of RECORD_KINDS) {
      if (kind === 'setting') {
        out[kind] = (await store.settingsOf(datasetId)).map(({ key, value }) => ({ key: key.replaceAll(datasetId, 'ID'), value: renamed(value, datasetId) }));
        continue;
      }
      const records: unknown[] = [];
      await store.iterate(datasetId, kind, 7, async (batch) => { records.push(...batch.map((record) => renamed(record, datasetId))); });
      out[kind] = records;
    }
    const { id: _id, createdAt: _createdAt, ...dataset } = (await store.getDataset(datasetId)) ?? {};
    out.dataset = dataset;
    return out;
  } finally {
    store.close();
  }
}

/** `value` with every string equal to `id` written as "ID", typed arrays and NaN kept as they are. */
function renamed(value: unknown, id: string): unknown {
  if (value === id) return 'ID';
  if (Array.isArray(value)) return value.map((item) => renamed(item, id));
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renamed(item, id)]));
  }
  return value;
}

async function readyNames(): Promise<string[]> {
  const store = await DatasetStore.open();
  try {
    return (await store.listDatasets()).map((d) => d.name).sort();
  } finally {
    store.close();
  }
}

async function storedDatasetCount(): Promise<number> {
  const store = await WorkspaceStore.open();
  try {
    return (await store.allDatasets()).length;
  } finally {
    store.close();
  }
}

async function exportFile(datasetId: string): Promise<Blob> {
  const engine = new WorkspaceEngine();
  try {
    return (await engine.exportDataset(datasetId)).blob;
  } finally {
    await engine.close();
  }
}

function replaceLine(text: string, lineIndex: number, change: (line: string) => string): Blob {
  const lines = text.split('\n');
  lines[lineIndex] = change(lines[lineIndex]);
  return new Blob([lines.join('\n')]);
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
