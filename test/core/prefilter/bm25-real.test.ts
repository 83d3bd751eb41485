import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../../src/core/prefilter/bm25';
import { rankingQuality } from '../../../src/core/prefilter/evaluate';

/**
 * BM25 alone on the real data (../shared/data, read in place, never copied into the project): the
 * 299 BREF sections that carry text as documents, the EP pollution patents the reference dashboard
 * matched to one of them (title + abstract) as queries. Skipped, not passed, without the data.
 */
const DIR = '../shared/data';
const BREF = `${DIR}/bref.jsonl`;
const PATENTS = `${DIR}/patents_ep_pollution.jsonl`;
const present = existsSync(BREF) && existsSync(PATENTS);
if (!present) console.warn(`bm25-real.test.ts skipped: ${BREF} or ${PATENTS} is absent (real-data check needs the shared data folder)`);

interface Section {
  id: string;
  title: string;
  text?: string;
}

interface Patent {
  title: string | null;
  abstract: string | null;
  bref_sections?: string[];
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as T);
}

const KS = [1, 10, 50];

describe('BM25 prefilter on real BREF sections and EP patents', () => {
  it.skipIf(!present)('ranks the reference section well above chance', () => {
    const sections = readJsonl<Section>(BREF).filter((s) => typeof s.text === 'string' && s.text.length > 0);
    const row = new Map(sections.map((s, i) => [s.id, i]));
    const patents = readJsonl<Patent>(PATENTS).filter((p) => (p.bref_sections ?? []).some((id) => row.has(id)));
    const queries = patents.map((p) => `${p.title ?? ''}\n${p.abstract ?? ''}`);
    // The data has one reference per patent; the first one known here is the one evaluated.
    const reference = patents.map((p) => row.get((p.bref_sections ?? []).find((id) => row.has(id)) ?? '') ?? -1);
    const report: Record<string, unknown> = { sections: sections.length, patents: patents.length };
    for (const [name, documents] of [
      ['title + text', sections.map((s) => `${s.title}\n${s.text ?? ''}`)],
      ['title alone', sections.map((s) => s.title)],
    ] as const) {
      const index = new Bm25Index(documents);
      const quality = rankingQuality(index.search(queries, Math.max(...KS)), reference, KS);
      report[name] = {
        vocabulary: index.vocabularySize,
        recall: Object.fromEntries(KS.map((k) => [`@${k}`, Number(quality.recall[k].toFixed(3))])),
        mrr: Number(quality.mrr.toFixed(3)),
      };
      expect(quality.evaluated).toBe(patents.length);
      if (name === 'title + text') {
        expect(quality.recall[50]).toBeGreaterThan(quality.recall[10]);
        expect(quality.recall[10]).toBeGreaterThanOrEqual(quality.recall[1]);
        // Random order finds the reference in the first 10 of 299 for 3.3 % of patents.
        expect(quality.recall[10]).toBeGreaterThan(3 * (10 / sections.length));
      }
    }
    console.log(`BM25 on real data: ${JSON.stringify(report)}`);
    expect(sections.length).toBeGreaterThan(200);
    expect(patents.length).toBeGreaterThan(1000);
  });
});
