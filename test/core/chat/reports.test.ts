import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../../src/core/chat/citations';
import { ChatContext } from '../../../src/core/chat/context';
import { patentItem } from '../../../src/core/chat/items';
import { buildPrompt } from '../../../src/core/chat/prompt';
import { composeReport, type Report, reportQuestion, type ReportRequest } from '../../../src/core/chat/reports';
import { Dashboard, matchTableFromPairs, scoreRuleForJob } from '../../../src/core/dashboard/dashboard';
import { AMMONIA, MERCURY } from '../dashboard/fixture';
import { catalogue, PATENTS, patentById, smallDashboard } from './fixture';

/*
 * Expectations worked out by hand from fixture.ts (verified job, relevance 0.5, display 0.68):
 *   matched pairs  P1: AA 1.1.1 0.9, AA 1.2 0.6 · P2: AA 1.1.1 0.7, AA 1.1 0.55 (BB 1 has no P(Yes))
 *                  P3: BB 1.1 0.8 (no pollutant) · P4: AA 1.2 0.5 · P5: none (0.4)
 *   pollutants     P1: Ammonia, Ózone · P2: Ammonia, Zinc · P4: Ózone
 *   reach          SDG 3 (Ammonia 2, Ózone 5, Mercury 9): P1 7, P2 2, P4 5 → 3 patents, 14
 *                  SDG 6 (Ammonia 4, Zinc 3): P1 4, P2 7 → 2 patents, 11 · SDG 14 (Zinc 1, Mercury 7): P2 1
 */
const report = (request: ReportRequest, context?: ChatContext): Report =>
  composeReport(smallDashboard(), request, { patent: patentById, context });

const tagsOf = (r: Report) => r.context.map((e) => `${e.tag} ${e.item.kind} ${e.item.id}`);

describe('report mode (no model)', () => {
  it('BREF–pollutant connection: linked sections by patent count', () => {
    const r = report({ report: 'bref-pollutant', pollutant: AMMONIA });
    expect(r.title).toBe('BREF–pollutant connection: Ammonia');
    expect(r.paragraphs).toEqual([
      { text: 'Ammonia is linked to 2 BREF sections, and 2 patents abate it at relevance 0.5 [L1].', citations: ['L1'] },
      { text: 'AA 1.1.1 Spray towers (Document A) matches 2 patents [B1]. AA 1.1 Scrubbing (Document A) matches 1 patent [B2].', citations: ['B1', 'B2'] },
    ]);
    expect(tagsOf(r)).toEqual(['L1 pollutant 0', 'B1 section AA:::1.1.1', 'B2 section AA:::1.1']);
    const none = report({ report: 'bref-pollutant', pollutant: MERCURY });
    expect(none.paragraphs).toEqual([{ text: 'Mercury is linked to no BREF section of the catalogue, so no patent abates it through one [L1].', citations: ['L1'] }]);
    // Zinc: AA 1.1 (P2 0.55) and BB 1 (P2's pair has no P(Yes), so none): one patent, singular verb.
    expect(report({ report: 'bref-pollutant', pollutant: 1 }).paragraphs[0].text).toBe('Zinc is linked to 2 BREF sections, and 1 patent abates it at relevance 0.5 [L1].');
  });

  it('BREF–patent synergies: a section\'s top patents with scores', () => {
    const r = report({ report: 'bref-patent', section: 'AA:::1.1.1' });
    expect(r.title).toBe('BREF–patent synergies: AA 1.1.1 Spray towers');
    expect(r.paragraphs).toEqual([
      { text: 'AA 1.1.1 Spray towers is matched by 2 patents at relevance 0.5, all of them at or above the display threshold 0.68 [B1].', citations: ['B1'] },
      { text: 'Patent P1 "Ammonia scrubber with acid spray" scores 0.90 [P1]. Patent P2 "Zinc and ammonia removal from flue gas" scores 0.70 [P2].', citations: ['P1', 'P2'] },
      { text: 'The section is linked to Ammonia [B1][L1].', citations: ['B1', 'L1'] },
    ]);
    const oxidation = report({ report: 'bref-patent', section: 'AA:::1.2' });
    expect(oxidation.paragraphs[0].text).toBe('AA 1.2 Oxidation is matched by 2 patents at relevance 0.5, none of them at or above the display threshold 0.68 [B1].');
    expect(() => report({ report: 'bref-patent', section: 'ZZ:::9' })).toThrow(/not in the catalogue/);
  });

  it('patent–pollutant impact: every matched section that leads to each pollutant', () => {
    const r = report({ report: 'patent-pollutant', patent: 'P2' });
    expect(r.paragraphs).toEqual([
      { text: 'Patent P2 "Zinc and ammonia removal from flue gas" matches 2 BREF sections at relevance 0.5 and through them abates 2 pollutants [P1].', citations: ['P1'] },
      {
        text: 'It abates Ammonia via AA 1.1.1 Spray towers (score 0.70) and AA 1.1 Scrubbing (score 0.55) [L1][B1][B2]. It abates Zinc via AA 1.1 Scrubbing (score 0.55) [L2][B2].',
        citations: ['L1', 'B1', 'B2', 'L2'],
      },
    ]);
    // The patent item carries the real abstract for the prompt.
    const p = r.context[0].item;
    expect(p.kind === 'patent' && p.abstract).toBe(PATENTS[1].abstract);
    expect(report({ report: 'patent-pollutant', patent: 'P3' }).paragraphs[0].text).toBe('Patent P3 "Electrostatic precipitator" matches 1 BREF section at relevance 0.5, none of them linked to a pollutant [P1].');
    expect(report({ report: 'patent-pollutant', patent: 'P9' }).paragraphs[0].text).toBe('Patent P9 has no pairs in this matching job, so it abates no pollutant here [P1].');
  });

  it('SDG impact report for one pollutant and for the whole job', () => {
    const one = report({ report: 'sdg', pollutant: AMMONIA });
    expect(one.paragraphs).toEqual([
      { text: 'Ammonia affects 2 Sustainable Development Goals [L1].', citations: ['L1'] },
      { text: 'SDG 6 Clean water: impact 4 from Ammonia [S1][L1]. SDG 3 Good health: impact 2 from Ammonia [S2][L1].', citations: ['S1', 'L1', 'S2'] },
      { text: '2 patents abate Ammonia at relevance 0.5 and so reach each of these goals [L1].', citations: ['L1'] },
    ]);
    const all = report({ report: 'sdg', pollutant: null });
    expect(all.title).toBe('SDG impact report: all pollutants');
    expect(all.paragraphs).toEqual([
      { text: '3 patents of this job reach 3 goals at relevance 0.5 [S1][S2][S3].', citations: ['S1', 'S2', 'S3'] },
      {
        text: [
          'SDG 3 Good health is reached by 3 patents with a summed reach of 14; its strongest pollutants are Mercury (impact 9), Ózone (impact 5) and Ammonia (impact 2) [S1].',
          'SDG 6 Clean water is reached by 2 patents with a summed reach of 11; its strongest pollutants are Ammonia (impact 4) and Zinc (impact 3) [S2].',
          'SDG 14 Life below water is reached by 1 patent with a summed reach of 1; its strongest pollutants are Mercury (impact 7) and Zinc (impact 1) [S3].',
        ].join(' '),
        citations: ['S1', 'S2', 'S3'],
      },
    ]);
    const s1 = all.context[0].item;
    expect(s1.kind === 'sdg' && [s1.patents, s1.reach, s1.pollutants.map((p) => `${p.name} ${p.impact}`)]).toEqual([3, 14, ['Mercury 9', 'Ózone 5', 'Ammonia 2']]);
    const table = matchTableFromPairs(catalogue, [], scoreRuleForJob({ verify: true }));
    expect(() => composeReport(new Dashboard(table), { report: 'sdg', pollutant: null })).toThrow(/needs the SDG impact table/);
  });

  it('cites only items it put into the context, in every sentence, continuing the chat\'s tags', () => {
    const context = new ChatContext();
    context.add(patentItem(PATENTS[4]));
    const requests: ReportRequest[] = [
      { report: 'bref-pollutant', pollutant: AMMONIA },
      { report: 'bref-patent', section: 'AA:::1.1.1' },
      { report: 'patent-pollutant', patent: 'P1' },
      { report: 'sdg', pollutant: null },
    ];
    for (const request of requests) {
      const r = report(request, context);
      for (const paragraph of r.paragraphs) {
        const parsed = parseAnswer(paragraph.text, (t) => context.byTag(t));
        expect(parsed.uncited).toBe(0);
        expect(parsed.unsupported).toEqual([]);
        expect(parsed.supported).toEqual(paragraph.citations);
        for (const tag of paragraph.citations) expect(r.context.map((e) => e.tag)).toContain(tag);
      }
    }
    // The user's chip P5 was P1; the reports' patents came after it, and P1 the patent is found again.
    expect(context.byTag('P1')?.item.id).toBe('P5');
    expect(context.get('patent', 'P1')?.tag).toBe('P2');
  });

  it('hands a model the same facts: the prompt holds the report\'s sentences and its SDG rows', () => {
    const r = report({ report: 'sdg', pollutant: AMMONIA });
    const prompt = buildPrompt({ question: reportQuestion(r), entries: r.context, budget: 4000, countTokens: (t) => t.length });
    const user = prompt.messages[1].content;
    expect(user).toContain('- SDG 6 Clean water: impact 4 from Ammonia [S1][L1]. SDG 3 Good health: impact 2 from Ammonia [S2][L1].');
    expect(user).toContain('[S1] SDG 6 Clean water\nPatents reaching it: 2; summed reach: 11\nPollutants affecting it (impact): Ammonia: 4; Zinc: 3');
    expect(user).toContain('[L1] Pollutant Ammonia\nSDG impacts: SDG 6 Clean water: 4; SDG 3 Good health: 2\nPatents abating it: 2');
  });
});
