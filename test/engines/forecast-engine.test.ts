import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import { candidateCosines, cpuCosineBlock, type CodeEmbedding } from '../../src/core/forecast/candidate-cosine';
import type { CandidatePairs } from '../../src/core/forecast/candidates';
import { fastCpuCosineBlock } from '../../src/core/fast-cosine/wasm-cosine';
import { runForecast, type ForecastReport } from '../../src/core/forecast/forecast';
import { isNoEmbeddings, type NoEmbeddings } from '../../src/core/outcomes';
import { inRange, type ForecastWindows } from '../../src/core/forecast/windows';
import { codeAt } from '../../src/core/codes';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import type { Patent } from '../../src/core/types';
import { GpuPolicy } from '../../src/gpu/backend';
import { gpuPairCosineFn } from '../../src/gpu/forecast-cosine';
import { ForecastEngine, type ForecastJob, type ForecastOutcome } from '../../src/engines/forecast-engine';
import { DatasetStore } from '../../src/store/dataset-store';
import { maxAbsDiff, oversizeDispatches, withDevice } from '../gpu/gpu-harness';
import { DIM, embeddingOfWindow, patents, patentVectors, storeDemo, windows } from './forecast-fixture';
import { ForecastInputError } from '../../src/core/errors';

/** f32 dot products on the GPU against the CPU twin's f64 accumulation, of unit rows. */
const COSINE_TOLERANCE = 1e-6;
const AUC_TOLERANCE = 1e-6;
const BLOCK_BYTES = 4096; // forces many blocks, some of them partial
const PAIRS_PER_CHUNK = 37; // forces many GPU chunks, the last one partial

function randomCandidates(codeCount: number, share: number, seed: number): CandidatePairs {
  const rng = mulberry32(seed);
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < codeCount; i++) {
    for (let j = i + 1; j < codeCount; j++) {
      if (rng() < share) {
        first.push(i);
        second.push(j);
      }
    }
  }
  return { codeCount, first: Uint32Array.from(first), second: Uint32Array.from(second), length: first.length };
}

function expectSameReports(gpu: ForecastReport, cpu: ForecastReport): void {
  expect(gpu.counts).toEqual(cpu.counts);
  expect(gpu.balance).toEqual(cpu.balance);
  expect(gpu.methods.map((m) => m.method)).toEqual(cpu.methods.map((m) => m.method));
  gpu.methods.forEach((m, i) => {
    const twin = cpu.methods[i];
    expect(Math.abs(m.auc - twin.auc), `${m.method} AUC ${m.auc} vs ${twin.auc}`).toBeLessThanOrEqual(AUC_TOLERANCE);
    expect(Math.abs(m.ci.low - twin.ci.low)).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(m.ci.high - twin.ci.high)).toBeLessThanOrEqual(1e-3);
    expect(maxAbsDiff(m.top.map((p) => p.score), twin.top.map((p) => p.score))).toBeLessThanOrEqual(COSINE_TOLERANCE);
  });
}

/** The forecast of an outcome that must be one. */
function forecastOf(outcome: ForecastOutcome | NoEmbeddings): ForecastOutcome {
  if (isNoEmbeddings(outcome)) throw new Error(`expected a forecast, got: ${outcome.message}`);
  return outcome;
}

describe('forecast candidate cosines on the GPU (gpuPairCosines, candidate pairs only) vs the CPU twin', () => {
  it.for([
    [1, 8, 1],
    [7, 3, 1],
    [130, 61, 0.3],
    [300, 384, 0.05],
  ])('%i codes × %i dims, %f of all pairs as candidates, small blocks and chunks', ([codes, dim, share], ctx) =>
    withDevice(async ({ device }) => {
      const names = Array.from({ length: codes }, (_, i) => `C${String(i).padStart(4, '0')}`);
      const vectors = randomNormalMatrix(mulberry32(codes * 31 + dim), codes, dim);
      // One zero row: its cosines are exactly 0 on both sides.
      if (codes > 3) vectors.fill(0, 3 * dim, 4 * dim);
      // The embedding lacks code 1 (every pair with it is "missing" and scores 0).
      const keep = names.map((_, i) => i).filter((i) => i !== 1 || codes === 1);
      const embedding: CodeEmbedding = {
        codes: keep.map((i) => names[i]),
        dim,
        vectors: Float32Array.from(keep.flatMap((i) => Array.from(vectors.subarray(i * dim, (i + 1) * dim)))),
      };
      const candidates = randomCandidates(codes, share, codes + dim);
      const options = { maxBlockBytes: BLOCK_BYTES };
      const gpu = await candidateCosines(embedding, names, candidates, { pairCosines: gpuPairCosineFn(device, { maxPairsPerChunk: PAIRS_PER_CHUNK }) });
      const cpu = await candidateCosines(embedding, names, candidates, { ...options, cosineBlock: cpuCosineBlock });
      expect(gpu.missingPairs).toBe(cpu.missingPairs);
      expect(maxAbsDiff(gpu.scores, cpu.scores)).toBeLessThanOrEqual(COSINE_TOLERANCE);
      if (candidates.length > 0) expect(cpu.scores.some((s) => s !== 0)).toBe(true);
    })(ctx),
  );

  it('an aborted signal stops the GPU pair scorer', withDevice(async ({ device }) => {
    const controller = new AbortController();
    controller.abort();
    const score = gpuPairCosineFn(device, { signal: controller.signal });
    await expect(Promise.resolve().then(() => score(new Float32Array(8), 2, 4, Uint32Array.of(0), Uint32Array.of(1)))).rejects.toThrow(/cancel|abort/i);
  }));

  for (const level of ['subclass', 'main_group'] as const) {
    it(`runForecast on the demo corpus at ${level} level: same AUCs, intervals and top pairs on both`, withDevice(async ({ device }) => {
      const embeddings = { 'mean-of-patents': embeddingOfWindow(patentVectors(7), level), other: embeddingOfWindow(patentVectors(8), level) };
      const input = { patents, level, windows, labels: { mode: 'above-null' as const }, embeddings };
      const gpu = await runForecast(input, { pairCosines: gpuPairCosineFn(device, { maxPairsPerChunk: 256 }) });
      const cpu = await runForecast(input, { maxBlockBytes: 1024 });
      expect(cpu.counts.candidates).toBeGreaterThan(level === 'subclass' ? 100 : 1000);
      expect(cpu.balance.positives).toBeGreaterThan(10);
      expectSameReports(gpu, cpu);
      console.log(`${level}: ${cpu.counts.candidates} candidates; AUC ${gpu.methods.map((m) => `${m.method} ${m.auc.toFixed(6)}`).join(', ')}`);
    }));
  }
});

describe('ForecastEngine over a stored dataset', () => {
  afterEach(() => vi.unstubAllGlobals());

  const job: ForecastJob = {
    modelId: 'model-x', level: 'subclass', windows, labels: { mode: 'above-null' },
    methods: ['mean-of-patents', 'techtoken'], baselines: ['jaccard', 'random'], preferGpu: true, maxBlockBytes: 256,
  };

  it('runs on WebGPU and on the CPU twin with the same AUCs, reporting the backend, and matches the core on the same vectors', withDevice(async (kit) => {
    const datasetId = await storeDemo();
    const engine = new ForecastEngine({ gpu: kit.policy() });
    const progress: string[] = [];
    const gpu = forecastOf(await engine.run(datasetId, job, {}, (p) => progress.push(`${p.stage} ${p.done}/${p.total}`)));
    const cpu = forecastOf(await engine.run(datasetId, { ...job, preferGpu: false }));
    expect(gpu.backend.kind).toBe('webgpu');
    expect(cpu.backend).toEqual({ kind: 'cpu', fallbackReason: 'WebGPU switched off in settings' });
    expect(gpu.report.methods.map((m) => m.method)).toEqual(['mean-of-patents', 'techtoken', 'jaccard', 'random']);
    expectSameReports(gpu.report, cpu.report);
    expect(progress.at(-1)).toBe('forecast 4/4');

    // The engine's mean-of-patents equals the core's on the embedding window's patents.
    const direct = await runForecast({ patents, level: 'subclass', windows, labels: { mode: 'above-null' }, embeddings: { 'mean-of-patents': embeddingOfWindow(patentVectors(7), 'subclass') }, baselines: [] });
    expect(Math.abs(direct.methods[0].auc - cpu.report.methods[0].auc)).toBeLessThanOrEqual(AUC_TOLERANCE);

    const drill = await engine.patentsOfCodes(datasetId, 'subclass', gpu.report.methods[0].top[0].codes);
    for (const code of gpu.report.methods[0].top[0].codes) {
      expect(drill[code].length).toBeGreaterThan(0);
      expect(drill[code].map((p) => p.year)).toEqual([...drill[code].map((p) => p.year)].sort((a, b) => a - b));
    }
  }));

  it('says why when a window is empty or TechToken vectors are missing', async () => {
    const datasetId = await storeDemo();
    const engine = new ForecastEngine({ gpu: new GpuPolicy({ acquire: async () => ({ ok: false, reason: 'no adapter here' }) }) });
    const empty = { ...job, windows: { learn: { from: Number.NEGATIVE_INFINITY, to: 1900 }, embed: { from: 1901, to: 1910 }, score: { from: 2011, to: 2020 } } };
    await expect(engine.run(datasetId, empty)).rejects.toThrow(ForecastInputError);
    await expect(engine.run(datasetId, empty)).rejects.toThrow(/embedding window 1901-1910 has no patents/);
    const noTokens = forecastOf(await engine.run(datasetId, { ...job, windows: { ...windows, learn: { from: Number.NEGATIVE_INFINITY, to: 2009 }, embed: { from: 2010, to: 2015 } } }));
    expect(noTokens.backend).toEqual({ kind: 'cpu', fallbackReason: 'no adapter here' });
    expect(noTokens.skipped).toEqual([{ method: 'techtoken', reason: 'model-x has no code tokens for this dataset at subclass level' }]);
    expect(noTokens.report.methods.map((m) => m.method)).toEqual(['mean-of-patents', 'jaccard', 'random']);
  });

  it('a validation error on the GPU gives the CPU twin\'s report, exactly, and says why', withDevice(async (kit) => {
    const datasetId = await storeDemo();
    const engine = new ForecastEngine({ gpu: kit.policy() });
    const cpu = forecastOf(await engine.run(datasetId, { ...job, preferGpu: false }));
    const undo = oversizeDispatches(kit.device);
    let faulty: ForecastOutcome;
    try {
      faulty = forecastOf(await engine.run(datasetId, job));
    } finally {
      undo();
    }
    expect(faulty.backend).toEqual({ kind: 'cpu', fallbackReason: expect.stringMatching(/^GPU validation error in forecast cosines: Dispatch workgroup count X/) });
    expect(faulty.report).toEqual(cpu.report);
    expect(forecastOf(await engine.run(datasetId, job)).backend.kind).toBe('webgpu');
  }));

  it('says NoEmbeddings when the model has no vectors or patents of the embedding window lack one', async () => {
    const datasetId = await storeDemo();
    const engine = new ForecastEngine({ gpu: new GpuPolicy({ acquire: async () => ({ ok: false, reason: 'no adapter here' }) }) });
    const inWindow = patents.filter((p) => inRange(p.year, windows.embed) && p.codes.some((c) => codeAt('subclass', c) !== null)).length;
    await expect(engine.run(datasetId, { ...job, modelId: 'no-such-model', methods: ['mean-of-patents'] })).resolves.toEqual({
      kind: 'no-embeddings', modelId: 'no-such-model', patents: inWindow, missing: inWindow,
      message: 'No vectors of this dataset with no-such-model: embed it first.',
    });
    const store = await DatasetStore.open();
    const some = (await store.getPatents(datasetId)).slice(0, 100);
    await store.putEmbeddings(datasetId, 'partial', some.map((p) => p.id), new Float32Array(some.length * DIM).fill(1), DIM);
    store.close();
    const partial = await engine.run(datasetId, { ...job, modelId: 'partial', methods: ['mean-of-patents'] });
    expect(partial).toMatchObject({ kind: 'no-embeddings', modelId: 'partial', patents: inWindow, message: expect.stringMatching(/patents have no stored vector with partial: embed the dataset again/) });
    expect(isNoEmbeddings(partial) && partial.missing > 0 && partial.missing < inWindow).toBe(true);
  });

  it('reads only the windows\' years yet reports what a read of every patent gives, codes of later years included', async () => {
    // A patent after the scoring window, with a code no other patent has.
    const late: Patent = { id: 'zz-late', year: 2020, title: 'Late', codes: ['Y10S 901/00'] };
    const datasetId = await storeDemo([late]);
    const early: ForecastWindows = { learn: { from: Number.NEGATIVE_INFINITY, to: 1995 }, embed: { from: 1996, to: 2003 }, score: { from: 2004, to: 2012 } };
    const engine = new ForecastEngine({ gpu: new GpuPolicy({ acquire: async () => ({ ok: false, reason: 'no adapter here' }) }) });
    await expect(engine.years(datasetId)).resolves.toEqual({
      patents: patents.length + 1, firstYear: Math.min(...patents.map((p) => p.year)), lastYear: 2020,
    });
    const outcome = forecastOf(await engine.run(datasetId, { ...job, windows: early, methods: ['mean-of-patents'] }));

    // The same forecast from every stored patent, code vectors built as the engine builds them.
    const store = await DatasetStore.open();
    const all = await store.getPatents(datasetId);
    const embedPatents = all.filter((p) => inRange(p.year, early.embed) && p.codes.some((c) => codeAt('subclass', c) !== null));
    const aligned = await store.getAlignedEmbeddings(datasetId, 'model-x', embedPatents.map((p) => p.id));
    store.close();
    if (!aligned) throw new Error('the demo has vectors');
    const codeVectors = meanOfPatentVectors(embedPatents, aligned.vectors, DIM, 'subclass');
    const direct = await runForecast({
      patents: all, level: 'subclass', windows: early, labels: { mode: 'above-null' }, baselines: job.baselines,
      embeddings: { 'mean-of-patents': { codes: codeVectors.codes, dim: DIM, vectors: codeVectors.vectors } },
    }, { cosineBlock: fastCpuCosineBlock() });
    expect(outcome.report).toEqual(direct);
    expect(outcome.report.counts.codes).toBe(new Set(all.flatMap((p) => p.codes.map((c) => codeAt('subclass', c)))).size);
  });
});
