import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runForecast } from '../../../src/core/forecast/forecast';
import { parseWindows } from '../../../src/core/forecast/windows';

/** Real patents (../shared/data, never copied into the project); skipped, not passed, without them. */
const DATA = '../shared/data/patents_ipc.jsonl';
const present = existsSync(DATA);
if (!present) console.warn(`forecast-real.test.ts skipped: ${DATA} is absent (real-data check needs the shared data folder)`);
type RealPatent = { id: string; year: number; codes: string[]; title: string; abstract: string | null };
/** Read once for both tests (24,875 lines). */
const PATENTS: RealPatent[] = present ? readFileSync(DATA, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RealPatent) : [];

describe('forecast on real patents (titles, IPC subclasses)', () => {
  it.skipIf(!present)('graph baselines predict new subclass combinations 2006–2010 well above chance', async () => {
    const patents = PATENTS;
    const report = await runForecast({
      patents,
      level: 'subclass',
      windows: parseWindows('-2000,2001-2005,2006-2010'),
      labels: { mode: 'above-null' },
      embeddings: {},
      baselines: ['common-neighbours', 'preferential-attachment', 'random'],
    });
    const auc = Object.fromEntries(report.methods.map((m) => [m.method, m.auc]));
    console.log(`real subclass: ${report.counts.candidates} candidates, ${report.balance.positives} positives, AUC ${JSON.stringify(auc)}`);
    expect(report.counts.candidates).toBeGreaterThan(10_000);
    expect(report.balance.positives).toBeGreaterThan(200);
    expect(auc['common-neighbours']).toBeGreaterThan(0.7);
    expect(Math.abs(auc.random - 0.5)).toBeLessThan(0.05);
  });

  it.skipIf(!present)('the hybrid (text-tfidf + graph, fitted on ≤1995/1996–2000/2001–2005) beats resource allocation on 2006–2010', async () => {
    const patents = PATENTS;
    const report = await runForecast({
      patents,
      level: 'subclass',
      windows: parseWindows('-2000,2001-2005,2006-2010'),
      labels: { mode: 'above-null' },
      embeddings: {},
      baselines: ['resource-allocation'],
      textTfidf: true,
      hybrid: {},
    });
    const auc = Object.fromEntries(report.methods.map((m) => [m.method, m.auc]));
    const [hybridVsBaseline] = report.paired;
    console.log(`real subclass hybrid: AUC ${JSON.stringify(auc)}; hybrid − RA ${hybridVsBaseline.difference.toFixed(3)} [${hybridVsBaseline.low.toFixed(3)}, ${hybridVsBaseline.high.toFixed(3)}]`);
    expect(report.hybrid?.yearsRead.last).toBe(2005);
    expect(hybridVsBaseline.a).toBe('hybrid');
    expect(hybridVsBaseline.low).toBeGreaterThan(0);
    expect(auc['text-tfidf']).toBeGreaterThan(0.65);
  });
});
