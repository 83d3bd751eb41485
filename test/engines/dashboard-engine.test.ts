/**
 * The dashboard engine over a stored job: reads the job's chunks into the dashboard table once,
 * counts pollutants as a naive recount over the same pairs does, recounts on a new threshold
 * without reading the job again, and gives a patent's record with what it was matched to.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../src/core/catalogue/decode';
import { toChunks } from '../../src/core/match-job/chunks';
import type { MatchJobRecord } from '../../src/core/match-job/types';
import { parseSdgImpacts } from '../../src/core/reference/sdg';
import { sdgTableForCatalogue } from '../../src/core/reference/sdg-table';
import { DashboardEngine } from '../../src/engines/dashboard-engine';
import { DatasetStore } from '../../src/store/dataset-store';
import { MatchJobStore } from '../../src/store/match-job-store';
import { countCodes, makePatents, makeReport, useFreshIndexedDb } from '../store/helpers';

const CATALOGUE = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));
const SDG = parseSdgImpacts(readFileSync('public/reference/sdg-impacts.json', 'utf8'));

describe('DashboardEngine', () => {
  it('counts a stored job’s pollutants like a naive recount, follows the threshold and details a patent', async () => {
    useFreshIndexedDb();
    const store = await DatasetStore.open();
    const patents = makePatents(40);
    const dataset = await store.createDataset({ name: 'd', level: 'subclass', sourceFiles: [] });
    await store.putPatents(dataset.id, patents);
    await store.finishImport(dataset.id, makeReport(patents.length), countCodes(patents));
    // Sections with pollutants, and one id the catalogue lacks (a job over another catalogue).
    const linked = CATALOGUE.sections.filter((s) => s.pollutants.length > 0).slice(0, 6);
    const sectionIds = [...linked.map((s) => s.id), 'NOT:::A.SECTION'];
    const pairsPatent: number[] = [];
    const pairsSection: number[] = [];
    const pYes: number[] = [];
    patents.forEach((_, p) => [p % 7, (p * 3 + 1) % 7].forEach((s, r) => {
      pairsPatent.push(p); pairsSection.push(s); pYes.push(((p * 37 + r * 11) % 100) / 100);
    }));
    const shortlist = { patent: Int32Array.from(pairsPatent), section: Int32Array.from(pairsSection), prefilter: new Float32Array(pairsPatent.length).fill(0.1), rank: Int32Array.from(pairsPatent, (_, i) => (i % 2) + 1) };
    const chunks = toChunks(dataset.id, 'job-1', shortlist, patents.map((p) => p.id), sectionIds, 16);
    let k = 0;
    for (const chunk of chunks) for (let i = 0; i < chunk.pYes.length; i++) chunk.pYes[i] = pYes[k++];
    const now = Date.now();
    const job: MatchJobRecord = {
      datasetId: dataset.id, id: 'job-1', status: 'done', createdAt: now, updatedAt: now, patents: 40, sections: sectionIds.length, sectionsWithText: 0,
      pairs: pairsPatent.length, chunks: chunks.length, verifiedChunks: chunks.length, verifiedPairs: pairsPatent.length, failedPairs: 0,
      settings: { catalogueId: 'bref', catalogueName: 'EU BREF', k: 2, method: 'tfidf', sectionK: 0, verify: true, encoderId: null, matcherRef: 'm', matcherDtype: 'q4' },
      timings: { embedSeconds: 0, prefilterSeconds: 0, verifySeconds: 0 },
    };
    const jobs = await MatchJobStore.open();
    await jobs.createJob(job, [], chunks);

    const engine = new DashboardEngine({ catalogue: async () => CATALOGUE, impacts: async (c) => sdgTableForCatalogue(SDG, c.meta.fingerprint) });
    const summary = await engine.open(dataset.id, 'job-1');
    const skipped = pairsSection.filter((s) => s === 6).length;
    // p % 7 and (3p + 1) % 7 coincide for p ≡ 3 (mod 7): such a pair is listed twice and kept once.
    const unique = new Set(pairsPatent.map((p, i) => `${p} ${pairsSection[i]}`).filter((_, i) => pairsSection[i] !== 6)).size;
    expect(unique).toBe(pairsPatent.length - skipped - 6);
    expect(summary).toMatchObject({ patents: 40, pairs: unique, skipped: { count: skipped, examples: ['NOT:::A.SECTION'] }, hasSdg: true, thresholds: { relevance: 0.5, display: 0.68 } });

    const naive = (relevance: number) => {
      const counts = new Map<number, Set<number>>();
      pairsPatent.forEach((p, i) => {
        const section = linked[pairsSection[i]];
        if (!section || pYes[i] < Math.fround(relevance)) return;
        for (const pollutant of section.pollutants) counts.set(pollutant, (counts.get(pollutant) ?? new Set()).add(p));
      });
      return counts;
    };
    for (const relevance of [0.5, 0.2, 0.9]) {
      engine.setThresholds({ relevance });
      const expected = naive(relevance);
      const rows = engine.pollutants();
      expect(rows).toHaveLength(CATALOGUE.pollutants.length);
      for (const row of rows) expect(row.patents).toBe(expected.get(row.pollutant.index)?.size ?? 0);
      expect(rows.map((r) => r.patents)).toEqual([...rows.map((r) => r.patents)].sort((a, b) => b - a));
    }
    engine.setThresholds({ relevance: 0.5 });
    const top = engine.pollutants()[0];
    const detail = await engine.pollutant(top.pollutant.index);
    expect(detail.labels.map((l) => l.id)).toEqual(detail.top.map((t) => t.patentId));
    expect(detail.labels.every((l, i) => l.title === patents.find((p) => p.id === detail.top[i].patentId)?.title)).toBe(true);
    const sdg = await engine.sdg();
    expect(sdg?.patents).toBeGreaterThan(0);
    const one = await engine.patent(patents[1].id);
    expect(one?.patent.title).toBe(patents[1].title);
    expect(one?.detail?.sections.map((s) => s.section.id).sort()).toEqual([linked[1].id, linked[4].id].sort());
    expect(await engine.patent('nobody')).toBeNull();
    // Only a selection's patents count.
    const selected = engine.pollutants('', { ids: [patents[1].id] });
    expect(selected.filter((r) => r.patents > 0).every((r) => r.patents === 1)).toBe(true);
    await engine.destroy();
    jobs.close();
    store.close();
  });
});
