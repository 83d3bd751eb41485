/**
 * A matching job's cosine prefilter on the GPU (the WGSL kernels through the engine's policy)
 * shortlists the same pairs as on the CPU twin, says where it ran, and falls back visibly.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toJobSection } from '../../src/core/match-job/job-sections';
import type { MatchJobSettings } from '../../src/core/match-job/types';
import type { Patent } from '../../src/core/types';
import { DatasetEmbedder } from '../../src/engines/dataset-embedder';
import { MatchEngine, type Technique } from '../../src/engines/match-engine';
import { MatchJobEngine } from '../../src/engines/match-job-engine';
import { GpuPolicy } from '../../src/gpu/backend';
import { gpuCrossTopK } from '../../src/gpu/cross-topk-gpu';
import { localModelSource } from '../../src/ml/local-model';
import { DatasetStore } from '../../src/store/dataset-store';
import { countCodes, makeReport, useFreshIndexedDb } from '../store/helpers';
import { withDevice } from './gpu-harness';

const TECHNIQUES = (JSON.parse(readFileSync('public/demo/techniques.json', 'utf8')) as { techniques: Technique[] }).techniques;
const SECTIONS = TECHNIQUES.map((t) => toJobSection(t.id, t.sectionTitle, t.description, []));
const PATENTS = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').slice(0, 120).map((l) => JSON.parse(l) as Patent);
const SETTINGS: MatchJobSettings = {
  catalogueId: 'demo-techniques', catalogueName: 'Demo techniques', k: 3, method: 'fusion', sectionK: 5, verify: false,
  encoderId: 'ps-encoder-tiny', matcherRef: 'bundled:ps-llama-yesno-tiny', matcherDtype: 'q4',
};

async function runJob(policy: GpuPolicy, embedder: DatasetEmbedder) {
  const store = await DatasetStore.open();
  const dataset = await store.createDataset({ name: 'demo', level: 'subclass', sourceFiles: [] });
  await store.putPatents(dataset.id, PATENTS);
  await store.finishImport(dataset.id, makeReport(PATENTS.length), countCodes(PATENTS));
  const engine = new MatchJobEngine(embedder, new MatchEngine(), { gpu: policy, gpuCrossTopK });
  const job = await engine.start({ datasetId: dataset.id, settings: SETTINGS, sections: SECTIONS, preferGpu: true });
  const pairs = await engine.pairs(dataset.id, job.id);
  await engine.destroy();
  store.close();
  return { job, pairs };
}

describe('a matching job’s prefilter on the GPU', () => {
  it('shortlists what the CPU twin shortlists', withDevice(async (gpu) => {
    useFreshIndexedDb();
    const embedder = new DatasetEmbedder();
    await embedder.load({ source: localModelSource('models', 'ps-encoder-tiny'), devices: ['cpu'] });
    const onGpu = await runJob(gpu.policy(), embedder);
    const onCpu = await runJob(new GpuPolicy({ acquire: async () => ({ ok: false, reason: 'no adapter here' }) }), embedder);
    await embedder.destroy();
    expect(onGpu.job.prefilterBackend).toBe('webgpu');
    expect(onCpu.job.prefilterBackend).toBe('cpu (no adapter here)');
    expect(onGpu.pairs.length).toBe(onCpu.pairs.length);
    expect(onGpu.pairs.some((p) => p.prefilterRank === 0)).toBe(true);
    // Same pairs in the same order; fused scores are ranks, the section side's are cosines.
    expect(onGpu.pairs.map((p) => `${p.patentId} ${p.sectionId} ${p.prefilterRank}`)).toEqual(onCpu.pairs.map((p) => `${p.patentId} ${p.sectionId} ${p.prefilterRank}`));
    onGpu.pairs.forEach((p, i) => expect(p.prefilter).toBeCloseTo(onCpu.pairs[i].prefilter, 5));
  }));
});
