/**
 * What the demo's one-click dashboard job finds, measured in Node with the app's own engine and the
 * bundled q4 Yes/No model, on the patents that model's recipe held out (never trained on): every
 * held-out demo patent against the bundled BREF technique sections (TF-IDF, k = DEMO_JOB_K), then
 * the Yes/No model. The planted truth is the section each pollution patent was written for
 * (public/demo/ground-truth.json `pollution`); technology patents were written for none.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/core/auc';
import { parseCatalogue } from '../../src/core/catalogue/decode';
import { Dashboard, matchTableFromPairs, scoreRuleForJob } from '../../src/core/dashboard/dashboard';
import type { DemoGroundTruth } from '../../src/core/demo/generate';
import { bundledJobSections } from '../../src/core/match-job/job-sections';
import type { Patent } from '../../src/core/types';
import { demoDashboardSettings } from '../../src/core/match-job/demo-job';
import { DatasetEmbedder } from '../../src/engines/dataset-embedder';
import { MatchEngine } from '../../src/engines/match-engine';
import { MatchJobEngine } from '../../src/engines/match-job-engine';
import { localModelSource } from '../../src/ml/local-model';
import { DatasetStore } from '../../src/store/dataset-store';
import { countCodes, makeReport, useFreshIndexedDb } from '../store/helpers';

const CATALOGUE = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));
const TRUTH = JSON.parse(readFileSync('public/demo/ground-truth.json', 'utf8')) as DemoGroundTruth;
const MANIFEST = JSON.parse(readFileSync('models/ps-llama-yesno-tiny/manifest.json', 'utf8')) as { held_out_patent_ids: string[] };
const HELD_OUT = new Set(MANIFEST.held_out_patent_ids);
const PATENTS = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Patent).filter((p) => HELD_OUT.has(p.id));
const PLANTED = new Map(Object.entries(TRUTH.pollution ?? {}).flatMap(([section, ids]) => ids.map((id) => [id, section] as const)));

describe('the demo dashboard job on held-out patents', () => {
  it('matches pollution patents to the sections they were written for, and technology patents to almost none', { timeout: 600_000 }, async () => {
    useFreshIndexedDb();
    const store = await DatasetStore.open();
    const dataset = await store.createDataset({ name: 'held-out demo', level: 'subclass', sourceFiles: [] });
    await store.putPatents(dataset.id, PATENTS);
    await store.finishImport(dataset.id, makeReport(PATENTS.length), countCodes(PATENTS));
    const matcher = new MatchEngine();
    await matcher.load({ source: localModelSource('models', 'ps-llama-yesno-tiny'), devices: ['cpu'], dtype: 'q4' });
    const engine = new MatchJobEngine(new DatasetEmbedder(), matcher);
    const settings = demoDashboardSettings();
    const sections = bundledJobSections(CATALOGUE.sections, new Map(), 'techniques');
    const job = await engine.start({ datasetId: dataset.id, settings, sections });
    await engine.verify(dataset.id, job.id);
    const pairs = await engine.pairs(dataset.id, job.id);

    const pollution = PATENTS.filter((p) => PLANTED.has(p.id));
    const technology = PATENTS.filter((p) => !PLANTED.has(p.id));
    expect(pollution.length).toBeGreaterThan(30);
    const planted = (p: { patentId: string; sectionId: string }) => PLANTED.get(p.patentId) === p.sectionId;
    const shortlisted = pollution.filter((p) => pairs.some((q) => q.patentId === p.id && planted(q))).length / pollution.length;
    const matched = pairs.filter((p) => (p.pYes ?? 0) >= 0.5);
    const recall = pollution.filter((p) => matched.some((q) => q.patentId === p.id && planted(q))).length / pollution.length;
    const precision = matched.filter(planted).length / Math.max(1, matched.length);
    const technologyMatched = technology.filter((p) => matched.some((q) => q.patentId === p.id)).length / technology.length;
    const prefilterTop1 = pollution.filter((p) => pairs.some((q) => q.patentId === p.id && q.prefilterRank === 1 && planted(q))).length / pollution.length;
    // On the shortlisted pairs of pollution patents: does P(Yes) order planted above not planted, and better than the prefilter?
    const shortPairs = pairs.filter((q) => PLANTED.has(q.patentId));
    const labels = shortPairs.map(planted);
    const yesAuc = rocAuc(shortPairs.map((q) => q.pYes ?? 0), labels);
    const prefilterAuc = rocAuc(shortPairs.map((q) => q.prefilter), labels);
    const plantedYes = shortPairs.filter(planted).map((q) => q.pYes ?? 0).sort((a, b) => a - b);
    console.log(`pollution patents' shortlisted pairs: ${shortPairs.length} (${plantedYes.length} planted); AUC P(Yes) ${yesAuc.toFixed(3)}, prefilter ${prefilterAuc.toFixed(3)}; planted P(Yes) median ${plantedYes[plantedYes.length >> 1]?.toFixed(3)}`);
    console.log(`demo dashboard job on ${PATENTS.length} held-out patents (${pollution.length} pollution): ${pairs.length} pairs; `
      + `planted section shortlisted ${shortlisted.toFixed(3)}, TF-IDF top-1 ${prefilterTop1.toFixed(3)}; at P(Yes) ≥ 0.5: `
      + `recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)} (${matched.length} pairs), technology patents matched ${technologyMatched.toFixed(3)}`);
    // Measured with the committed model: P(Yes) orders a patent's own section above its decoys as well as
    // TF-IDF does (AUC 0.89 vs 0.89) and its matches are mostly right (precision 0.84), but it says Yes
    // rarely (recall 0.30 at 0.5: the recipe's decoys and hard negatives outnumber the positives).
    // The floors fail a model that ranks at chance, matches technology patents, or matches nothing.
    expect(yesAuc).toBeGreaterThan(0.8);
    expect(precision).toBeGreaterThan(0.6);
    expect(recall).toBeGreaterThan(0.15);
    expect(technologyMatched).toBeLessThan(0.05);

    // The dashboard over the job counts, per pollutant, the patents whose planted section links it.
    const table = matchTableFromPairs(CATALOGUE, pairs, scoreRuleForJob(settings));
    const dashboard = new Dashboard(table);
    const counted = new Map(dashboard.pollutants().map((r) => [r.pollutant.index, r.patents]));
    const expected = new Map<number, number>();
    for (const p of pollution) for (const q of CATALOGUE.pollutantsOf(PLANTED.get(p.id) ?? '')) expected.set(q.index, (expected.get(q.index) ?? 0) + 1);
    const topExpected = [...expected].sort((a, b) => b[1] - a[1])[0];
    console.log(`top planted pollutant ${CATALOGUE.pollutants[topExpected[0]].name}: ${topExpected[1]} held-out patents planted, ${counted.get(topExpected[0]) ?? 0} counted`);
    expect(counted.get(topExpected[0]) ?? 0).toBeGreaterThan(0);
    expect(counted.get(topExpected[0]) ?? 0).toBeLessThanOrEqual(topExpected[1] + technology.length * technologyMatched);
  });
});
