/**
 * Benchmark, not a test: the cost of the verify stage of BREF matching, for the bundled Yes/No
 * model on this machine's CPU (onnxruntime-node): prompt tokens per (section, patent) pair after
 * fitting to the model's context, pairs per second and prompt tokens per second of one forward
 * pass each (P(Yes) only, no generation). With ../shared/data the pairs are real EP pollution
 * patents (title + abstract) against BREF sections with text, read in place and never written
 * anywhere; without it, the demo patents against the demo techniques. Writes
 * bench-results/verify.json; docs/matching-scale.md turns the figures into the cost of verifying
 * the top-k shortlist of 650,000 patents.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Patent } from '../../src/core/types';
import { localModelSource } from '../../src/ml/local-model';
import { YesNoEngine, type YesNoPair } from '../../src/ml/yesno';

const PAIRS = Number(process.env.VERIFY_BENCH_PAIRS ?? 256);
const SHARED = '../shared/data';

interface Section { title: string; text: string | null }

function realPairs(): { label: string; pairs: YesNoPair[] } | null {
  if (!existsSync(`${SHARED}/patents_ep_pollution.jsonl`) || !existsSync(`${SHARED}/bref.jsonl`)) return null;
  const sections = readFileSync(`${SHARED}/bref.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Section).filter((s) => s.text);
  const patents = readFileSync(`${SHARED}/patents_ep_pollution.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Patent);
  const pairs = Array.from({ length: PAIRS }, (_, i) => {
    const s = sections[(i * 7) % sections.length];
    const p = patents[(i * 13) % patents.length];
    return { sectionTitle: s.title, technique: s.text ?? '', patentTitle: p.title, patentAbstract: p.abstract ?? '' };
  });
  return { label: `${PAIRS} pairs: EP pollution patents × BREF sections with text (../shared/data, read in place)`, pairs };
}

function demoPairs(): { label: string; pairs: YesNoPair[] } {
  const patents = readFileSync('public/demo/patents.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Patent);
  const techniques = (JSON.parse(readFileSync('public/demo/techniques.json', 'utf8')) as { techniques: { sectionTitle: string; description: string }[] }).techniques;
  const pairs = Array.from({ length: PAIRS }, (_, i) => {
    const t = techniques[i % techniques.length];
    const p = patents[(i * 13) % patents.length];
    return { sectionTitle: t.sectionTitle, technique: t.description, patentTitle: p.title, patentAbstract: p.abstract ?? '' };
  });
  return { label: `${PAIRS} pairs: demo patents × demo techniques`, pairs };
}

describe('verify stage cost', () => {
  it('bundled Yes/No model on the CPU: tokens per pair, pairs/s, tokens/s', async () => {
    const cases = [realPairs(), demoPairs()].filter((c): c is { label: string; pairs: YesNoPair[] } => c !== null);
    const engine = new YesNoEngine();
    await engine.load({ source: localModelSource('models', 'ps-llama-yesno-tiny'), device: 'cpu', dtype: 'q4' });
    const results = [];
    try {
      for (const { label, pairs } of cases) {
        const fitted = pairs.map((pair) => engine.fitPrompt(pair));
        const tokens = fitted.reduce((n, f) => n + f.ids.length, 0);
        await engine.score(pairs.slice(0, 8)); // warm-up
        const started = performance.now();
        const scores = await engine.score(pairs);
        const seconds = (performance.now() - started) / 1000;
        expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
        results.push({
          pairs: label, count: pairs.length, meanPromptTokens: +(tokens / pairs.length).toFixed(1),
          truncatedShare: +(fitted.filter((f) => f.truncated).length / pairs.length).toFixed(3),
          seconds: +seconds.toFixed(2), pairsPerSecond: +(pairs.length / seconds).toFixed(1), promptTokensPerSecond: Math.round(tokens / seconds),
        });
      }
    } finally {
      await engine.destroy();
    }
    const output = {
      model: 'bundled:ps-llama-yesno-tiny (q4, onnxruntime-node CPU)', cpus: cpus().length, loadAverage: loadavg().map((l) => +l.toFixed(2)),
      results, generatedAt: new Date().toISOString(),
    };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/verify.json', JSON.stringify(output, null, 2) + '\n');
    console.log(JSON.stringify(output, null, 2));
  }, 1_800_000);
});
