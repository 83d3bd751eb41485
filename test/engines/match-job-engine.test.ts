/**
 * Matching jobs end to end in Node with the bundled models: stage 1 stores the shortlist, stage 2
 * stops on a cancel after a chunk and resumes to the same answers as a job run in one go, the
 * embedding prefilter is the exact cosine top-k, and a server's batch output comes back into the job.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { customIdOf } from '../../src/core/batch/openai-batch';
import { PAIRS_PER_CHUNK } from '../../src/core/match-job/chunks';
import { toJobSection } from '../../src/core/match-job/job-sections';
import { sectionDocument } from '../../src/core/match-job/shortlist';
import type { JobSection, MatchJobSettings } from '../../src/core/match-job/types';
import { patentText } from '../../src/core/patent-text';
import type { Patent } from '../../src/core/types';
import { DatasetEmbedder } from '../../src/engines/dataset-embedder';
import { MatchEngine, type Technique } from '../../src/engines/match-engine';
import { MatchJobEngine } from '../../src/engines/match-job-engine';
import { localModelSource } from '../../src/ml/local-model';
import { DatasetStore } from '../../src/store/dataset-store';
import { countCodes, makeReport, useFreshIndexedDb } from '../store/helpers';

const TECHNIQUES = (JSON.parse(readFileSync('public/demo/techniques.json', 'utf8')) as { techniques: Technique[] }).techniques;
const SECTIONS: JobSection[] = TECHNIQUES.map((t) => toJobSection(t.id, t.sectionTitle, t.description, []));
const PATENTS = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').slice(0, 50).map((l) => JSON.parse(l) as Patent);

function settings(change: Partial<MatchJobSettings> = {}): MatchJobSettings {
  return {
    catalogueId: 'demo-techniques', catalogueName: 'Demo techniques', k: 3, method: 'tfidf', sectionK: 0, verify: true,
    encoderId: null, matcherRef: 'bundled:ps-llama-yesno-tiny', matcherDtype: 'q4', ...change,
  };
}

async function setUp(): Promise<{ datasetId: string; engine: MatchJobEngine; embedder: DatasetEmbedder; matcher: MatchEngine; store: DatasetStore }> {
  const store = await DatasetStore.open();
  const dataset = await store.createDataset({ name: 'demo', level: 'subclass', sourceFiles: [] });
  await store.putPatents(dataset.id, PATENTS);
  await store.finishImport(dataset.id, makeReport(PATENTS.length), countCodes(PATENTS));
  const embedder = new DatasetEmbedder();
  const matcher = new MatchEngine();
  return { datasetId: dataset.id, engine: new MatchJobEngine(embedder, matcher), embedder, matcher, store };
}

describe('MatchJobEngine', () => {
  beforeEach(() => useFreshIndexedDb());

  it('stores the shortlist, stops on a cancel after a chunk, and resumes to the answers of an uninterrupted run', async () => {
    const { datasetId, engine, matcher, store } = await setUp();
    await matcher.load({ source: localModelSource('models', 'ps-llama-yesno-tiny'), devices: ['cpu'], dtype: 'q4' });
    const job = await engine.start({ datasetId, settings: settings(), sections: SECTIONS });
    expect(job).toMatchObject({ status: 'verifying', patents: 50, sections: SECTIONS.length, sectionsWithText: SECTIONS.length, verifiedChunks: 0 });
    // TF-IDF lists only sections that share a word with the patent: at most 3 each.
    expect(job.pairs).toBeGreaterThan(2 * PAIRS_PER_CHUNK);
    expect(job.pairs).toBeLessThanOrEqual(150);
    expect(job.chunks).toBe(Math.ceil(job.pairs / PAIRS_PER_CHUNK));

    const controller = new AbortController();
    const seen: number[] = [];
    await expect(engine.verify(datasetId, job.id, { signal: controller.signal }, (p) => {
      seen.push(p.done);
      if (p.done >= PAIRS_PER_CHUNK) controller.abort();
    })).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen[0]).toBe(PAIRS_PER_CHUNK);
    const stopped = await engine.getJob(datasetId, job.id);
    expect(stopped).toMatchObject({ status: 'verifying', verifiedChunks: 1, verifiedPairs: PAIRS_PER_CHUNK });
    const partial = await engine.pairs(datasetId, job.id);
    expect(partial.filter((p) => p.pYes !== null)).toHaveLength(PAIRS_PER_CHUNK);

    const resumedEtas: (number | undefined)[] = [];
    const finished = await engine.verify(datasetId, job.id, {}, (p) => resumedEtas.push(p.etaSeconds));
    expect(finished).toMatchObject({ status: 'done', verifiedChunks: job.chunks, verifiedPairs: job.pairs, failedPairs: 0, verifiedBy: 'ps-llama-yesno-tiny' });
    expect(resumedEtas.at(-1)).toBe(0);
    const resumed = await engine.pairs(datasetId, job.id);

    const again = await engine.start({ datasetId, settings: settings(), sections: SECTIONS });
    await engine.verify(datasetId, again.id);
    const oneGo = await engine.pairs(datasetId, again.id);
    expect(resumed.map((p) => [p.patentId, p.sectionId])).toEqual(oneGo.map((p) => [p.patentId, p.sectionId]));
    resumed.forEach((p, i) => {
      expect(p.pYes).not.toBeNull();
      expect(p.pYes).toBeCloseTo(oneGo[i].pYes as number, 5);
      expect(p.score).toBe(p.pYes);
    });
    // Each patent's sections ranked 1, 2, … by TF-IDF, each once, patents in the store's (id) order.
    const byPatent = new Map<string, typeof resumed>();
    for (const pair of resumed) byPatent.set(pair.patentId, [...(byPatent.get(pair.patentId) ?? []), pair]);
    expect([...byPatent.keys()]).toEqual(PATENTS.map((p) => p.id).sort().filter((id) => byPatent.has(id)));
    for (const list of byPatent.values()) {
      expect(list.map((p) => p.prefilterRank)).toEqual(list.map((_, i) => i + 1));
      expect(new Set(list.map((p) => p.sectionId)).size).toBe(list.length);
    }
    expect((await engine.listJobs(datasetId)).map((j) => j.id).sort()).toEqual([job.id, again.id].sort());
    await engine.deleteJob(datasetId, job.id);
    expect((await engine.listJobs(datasetId)).map((j) => j.id)).toEqual([again.id]);
    await engine.destroy();
    store.close();
  });

  it('ranks sections by the exact cosine of the loaded encoder, adds each section’s best patents, and is done without a verifier', async () => {
    const { datasetId, engine, embedder, store } = await setUp();
    await embedder.load({ source: localModelSource('models', 'ps-encoder-tiny'), devices: ['cpu'] });
    const job = await engine.start({ datasetId, settings: settings({ method: 'embedding', k: 2, sectionK: 4, verify: false }), sections: SECTIONS });
    expect(job).toMatchObject({ status: 'done', prefilterBackend: 'cpu' });
    const pairs = await engine.pairs(datasetId, job.id);
    const info = embedder.encoderInfo();
    const stored = await store.getEmbeddings(datasetId, info?.modelId ?? '');
    const sectionVectors = (await embedder.embedTexts(SECTIONS.map(sectionDocument))).vectors;
    const dim = stored?.dim ?? 0;
    const cosine = (patentId: string, s: number): number => {
      const row = stored?.ids.indexOf(patentId) ?? -1;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += (stored?.vectors[row * dim + d] ?? 0) * sectionVectors[s * dim + d];
      return dot;
    };
    for (const patent of PATENTS.slice(0, 10)) {
      const expected = SECTIONS.map((_, s) => s).sort((a, b) => cosine(patent.id, b) - cosine(patent.id, a) || a - b).slice(0, 2).map((s) => SECTIONS[s].id);
      const ranked = pairs.filter((p) => p.patentId === patent.id && p.prefilterRank > 0).map((p) => p.sectionId);
      expect(ranked).toEqual(expected);
    }
    // Every section brought its 4 best patents (rank 0 unless the patent side had it already).
    for (const [s, section] of SECTIONS.entries()) {
      const best = PATENTS.map((p) => p.id).sort((a, b) => cosine(b, s) - cosine(a, s)).slice(0, 4);
      for (const id of best) expect(pairs.some((p) => p.patentId === id && p.sectionId === section.id)).toBe(true);
    }
    expect(pairs.some((p) => p.prefilterRank === 0)).toBe(true);
    expect(pairs.every((p) => p.pYes === null && p.score === p.prefilter)).toBe(true);
    expect(PATENTS.every((p) => patentText(p) !== '')).toBe(true);
    await engine.destroy();
    await embedder.destroy();
    store.close();
  });

  it('exports the shortlist as batch requests and reads a server’s output back into the job', async () => {
    const { datasetId, engine, store } = await setUp();
    const job = await engine.start({ datasetId, settings: settings({ k: 2 }), sections: SECTIONS });
    const { text, requests } = await engine.exportBatch(datasetId, job.id, 'meta-llama/Llama-3.1-8B-Instruct');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; body: { messages: { content: string }[]; max_tokens: number } });
    expect(requests).toBe(job.pairs);
    expect(lines).toHaveLength(job.pairs);
    expect(job.pairs).toBeGreaterThan(80);
    const first = (await engine.pairs(datasetId, job.id))[0];
    const patent = PATENTS.find((p) => p.id === first.patentId) as Patent;
    expect(lines[0].custom_id).toBe(customIdOf({ patent: first.patentId, section: first.sectionId }));
    expect(lines[0].body.messages[1].content).toContain(patent.title);
    expect(lines[0].body.messages[1].content).toContain(SECTIONS.find((s) => s.id === first.sectionId)?.text);
    expect(lines[0].body.max_tokens).toBe(1);
    // A vLLM-style output for the first 70 requests (one unreadable line, one pair the job lacks).
    const output = lines.slice(0, 70).map((l, i) => JSON.stringify({
      custom_id: l.custom_id,
      response: { status_code: 200, body: { choices: [{ logprobs: { content: [{ top_logprobs: [{ token: 'Yes', logprob: Math.log(i % 2 ? 0.8 : 0.2) }, { token: 'No', logprob: Math.log(i % 2 ? 0.2 : 0.8) }] }] } }] } },
    }));
    output.push('{not json', JSON.stringify({ custom_id: customIdOf({ patent: 'nobody', section: 'nothing' }), response: { status_code: 200, body: { choices: [] } } }));
    const { job: merged, report } = await engine.importBatch(datasetId, job.id, `${output.join('\n')}\n`, 'out.jsonl');
    expect(report).toMatchObject({ matched: 70, unknown: 1, lineErrorCount: 1, stillMissing: job.pairs - 70 });
    expect(merged).toMatchObject({ status: 'verifying', verifiedChunks: 1, verifiedPairs: 70, verifiedBy: 'batch output out.jsonl' });
    const pairs = await engine.pairs(datasetId, job.id);
    expect(pairs[1].pYes).toBeCloseTo(0.8, 5);
    expect(pairs[0].pYes).toBeCloseTo(0.2, 5);
    expect(pairs[80].pYes).toBeNull();
    const open = await engine.exportBatch(datasetId, job.id, 'm', true);
    expect(open.requests).toBe(job.pairs - 70);
    await expect(engine.importBatch(datasetId, job.id, 'garbage\n', 'x.jsonl')).rejects.toThrow(/answers none of this job’s pairs/);
    await engine.destroy();
    store.close();
  });

  it('deleting the dataset deletes its jobs', async () => {
    const { datasetId, engine, store } = await setUp();
    const job = await engine.start({ datasetId, settings: settings({ verify: false }), sections: SECTIONS });
    await store.softDelete(datasetId);
    await store.purgeDeleted();
    expect(await engine.getJob(datasetId, job.id)).toBeNull();
    expect(await engine.pairs(datasetId, job.id)).toEqual([]);
    await expect(engine.start({ datasetId, settings: settings(), sections: SECTIONS })).rejects.toThrow(/none of the dataset’s patents/);
    await engine.destroy();
    store.close();
  });
});
