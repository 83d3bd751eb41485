/**
 * A dataset with everything the app keeps with one (patents, vectors in two chunks, a map layout,
 * a match job, a conversation, its settings), and a snapshot of it that two datasets compare by,
 * for the dataset-file and workspace-file tests.
 */
import { patentItem } from '../../src/core/chat/items';
import { RECORD_KINDS } from '../../src/core/workspace/format';
import type { MatchJobRecord, MatchPairChunk } from '../../src/core/match-job/types';
import { ConversationStore, type StoredTurn } from '../../src/store/conversation-store';
import { DatasetStore } from '../../src/store/dataset-store';
import { MatchJobStore } from '../../src/store/match-job-store';
import { WorkspaceStore } from '../../src/store/workspace-store';
import { countCodes, makePatents, makeReport } from '../store/helpers';

export const PATENTS = makePatents(40);
/** More rows than one embedding chunk holds, so the file carries two chunks of one model. */
export const VECTOR_ROWS = 4100;

function turn(id: string, question: string): StoredTurn {
  return {
    id, request: { kind: 'question', question }, question, answer: `An answer to ${question} [P1].`, status: 'done', note: null,
    context: [{ tag: 'P1', item: patentItem(PATENTS[0]), origin: 'user' }],
    engine: 'sources', startedAt: 1, endedAt: 2,
  };
}

export async function makeDataset(name = 'Scrubbers'): Promise<string> {
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
export async function snapshot(datasetId: string): Promise<Record<string, unknown>> {
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

export async function readyNames(): Promise<string[]> {
  const store = await DatasetStore.open();
  try {
    return (await store.listDatasets()).map((d) => d.name).sort();
  } finally {
    store.close();
  }
}

export async function storedDatasetCount(): Promise<number> {
  const store = await WorkspaceStore.open();
  try {
    return (await store.allDatasets()).length;
  } finally {
    store.close();
  }
}

export function replaceLine(text: string, lineIndex: number, change: (line: string) => string): Blob {
  const lines = text.split('\n');
  lines[lineIndex] = change(lines[lineIndex]);
  return new Blob([lines.join('\n')]);
}
