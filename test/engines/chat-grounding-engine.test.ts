/**
 * The chat's grounding engine over a stored job (fake-indexeddb, the bundled catalogue and SDG
 * table): chips' items carry the job's counts and the patents' stored texts, a report continues the
 * context's numbering and names its patents by their stored titles, and retrieval refuses an
 * off-topic question while finding the patents of an on-topic one.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../src/core/catalogue/decode';
import { ChatContext } from '../../src/core/chat/context';
import { patentItem } from '../../src/core/chat/items';
import { toChunks } from '../../src/core/match-job/chunks';
import type { MatchJobRecord } from '../../src/core/match-job/types';
import { parseSdgImpacts } from '../../src/core/reference/sdg';
import { sdgTableForCatalogue } from '../../src/core/reference/sdg-table';
import type { Patent } from '../../src/core/types';
import { ChatGroundingEngine } from '../../src/engines/chat-grounding-engine';
import { DashboardEngine } from '../../src/engines/dashboard-engine';
import { DatasetStore } from '../../src/store/dataset-store';
import { MatchJobStore } from '../../src/store/match-job-store';
import { countCodes, makeReport, useFreshIndexedDb } from '../store/helpers';

const CATALOGUE = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));
const SDG = parseSdgImpacts(readFileSync('public/reference/sdg-impacts.json', 'utf8'));

describe('ChatGroundingEngine', () => {
  it('builds chip items, composes reports on the context\'s numbering and refuses off-topic questions', async () => {
    useFreshIndexedDb();
    // A pollutant with linked sections, and two of its sections.
    const pollutant = CATALOGUE.pollutants.find((p) => CATALOGUE.sectionsWith(p.index).length >= 2)!;
    const [s1, s2] = CATALOGUE.sectionsWith(pollutant.index);
    const patents: Patent[] = [
      { id: 'EP1', year: 2010, title: `Scrubber for ${pollutant.name}`, abstract: `A wet scrubber that removes ${pollutant.name} from flue gas.`, codes: ['B01D'] },
      { id: 'EP2', year: 2012, title: 'Filter bag cleaning', abstract: 'Pulse jets clean filter bags.', codes: ['B01D'] },
      { id: 'EP3', year: 2014, title: 'Gear hub', abstract: 'A bicycle hub with eleven gears.', codes: ['B62M'] },
    ];
    const datasets = await DatasetStore.open();
    const dataset = await datasets.createDataset({ name: 'd', level: 'subclass', sourceFiles: [] });
    await datasets.putPatents(dataset.id, patents);
    await datasets.finishImport(dataset.id, makeReport(patents.length), countCodes(patents));
    const shortlist = { patent: Int32Array.from([0, 1, 2]), section: Int32Array.from([0, 1, 1]), prefilter: new Float32Array([0.3, 0.2, 0.1]), rank: Int32Array.from([1, 1, 1]) };
    const chunks = toChunks(dataset.id, 'job-1', shortlist, patents.map((p) => p.id), [s1.id, s2.id], 16);
    chunks[0].pYes.set([0.9, 0.7, 0.1]);
    const now = Date.now();
    const job: MatchJobRecord = {
      datasetId: dataset.id, id: 'job-1', status: 'done', createdAt: now, updatedAt: now, patents: 3, sections: 2, sectionsWithText: 0,
      pairs: 3, chunks: chunks.length, verifiedChunks: chunks.length, verifiedPairs: 3, failedPairs: 0,
      settings: { catalogueId: 'bref', catalogueName: 'EU BREF', k: 1, method: 'tfidf', sectionK: 0, verify: true, encoderId: null, matcherRef: 'm', matcherDtype: 'q4' },
      timings: { embedSeconds: 0, prefilterSeconds: 0, verifySeconds: 0 },
    };
    const jobs = await MatchJobStore.open();
    await jobs.createJob(job, [], chunks);
    jobs.close();
    datasets.close();

    const dashboards = new DashboardEngine({ catalogue: async () => CATALOGUE, impacts: async (c) => sdgTableForCatalogue(SDG, c.meta.fingerprint) });
    const engine = new ChatGroundingEngine(dashboards);
    try {
      // Items for chips: the pollutant with the job's count (EP1 and EP2 match its sections at ≥ 0.5).
      const item = await engine.item(dataset.id, { kind: 'pollutant', index: pollutant.index });
      expect(item).toMatchObject({ kind: 'pollutant', index: pollutant.index, name: pollutant.name, patents: 2 });
      expect(item.kind === 'pollutant' && item.sections.map((s) => s.id)).toContain(s1.id);
      await expect(engine.item(dataset.id, { kind: 'section', id: s1.id })).resolves.toMatchObject({ kind: 'section', id: s1.id, pollutants: expect.arrayContaining([pollutant.name]) });
      await expect(engine.item(dataset.id, { kind: 'section', id: 'NO:::1' })).rejects.toThrow(/not in the BREF catalogue/);
      expect((await engine.patents(dataset.id, ['EP2', 'gone', 'EP1'])).map((p) => [p.id, p.abstract])).toEqual([['EP2', patents[1].abstract], ['EP1', patents[0].abstract]]);

      // A report continues the chat's numbering and names the patent by its stored title.
      const context = new ChatContext();
      context.add(patentItem(patents[2]));
      const composed = await engine.report(dataset.id, { report: 'bref-patent', section: s1.id }, context.snapshot());
      expect(composed.report.context.map((e) => e.tag)).toEqual(expect.arrayContaining(['B1', 'P2']));
      expect(composed.report.paragraphs.map((p) => p.text).join(' ')).toContain(`EP1 "${patents[0].title}" scores 0.90 [P2]`);
      expect(ChatContext.restore(composed.snapshot).byTag('P1')?.item.id).toBe('EP3');

      // Retrieval and refusal.
      const offTopic = await engine.ground(dataset.id, 'What is the capital of France?', []);
      expect(offTopic.refusal?.reason).toBe('off-topic');
      expect(offTopic.items).toEqual([]);
      const onTopic = await engine.ground(dataset.id, `Which patents remove ${pollutant.name} with a wet scrubber?`, []);
      expect(onTopic.refusal).toBeNull();
      expect(onTopic.items.some((i) => i.kind === 'patent' && i.id === 'EP1')).toBe(true);
      expect(onTopic.retrieval).toEqual({ embedding: null, reason: null });

      // Fused with an encoder's ranking: EP2 shares no word with the question, but the encoder puts
      // it first by a clear excess over the off-topic ceiling, so it is among the sources.
      const question = `Which patents remove ${pollutant.name} with a wet scrubber?`;
      const semantic = { used: true as const, modelId: 'enc', separation: 0.97, ranking: [{ kind: 'patent' as const, id: 'EP2', score: 0.3 }, { kind: 'patent' as const, id: 'EP1', score: 0.1 }] };
      const fused = await engine.ground(dataset.id, question, [], semantic);
      expect(fused.refusal).toBeNull();
      expect(fused.items.filter((i) => i.kind === 'patent').map((i) => i.id)).toEqual(expect.arrayContaining(['EP1', 'EP2']));
      expect(onTopic.items.some((i) => i.id === 'EP2')).toBe(false);
      expect(fused.retrieval).toEqual({ embedding: 'enc', reason: null });
      // A question nearer small talk than any patent (best excess below 0) is refused though a word matches.
      const far = await engine.ground(dataset.id, question, [], { ...semantic, ranking: [{ kind: 'patent', id: 'EP1', score: -0.02 }] });
      expect(far.refusal?.reason).toBe('off-topic');
      // An encoder turned away by calibration leaves retrieval to BM25 and says why.
      const turnedAway = await engine.ground(dataset.id, question, [], { used: false, modelId: 'tiny', separation: 0.6, reason: 'tiny tells … in 60 % of cases' });
      expect(turnedAway.items.map((i) => i.id)).toEqual(onTopic.items.map((i) => i.id));
      expect(turnedAway.retrieval).toEqual({ embedding: null, reason: 'tiny tells … in 60 % of cases' });
    } finally {
      await engine.destroy();
      await dashboards.destroy();
    }
  });
});
