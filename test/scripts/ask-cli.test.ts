/** The ask CLI as a user runs it: usage errors exit 2; an off-topic question is refused; answers cite their sources; a report is composed from matches. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../src/core/catalogue/decode';

function ask(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ask.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
}

interface Out { answer: string; citations: string[]; context: { tag: string; kind: string; id: string }[]; refused: boolean; mode: string }

const CATALOGUE = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));

describe('npm run ask', () => {
  it('prints the usage and exits 2 without a question or with a bad report', () => {
    expect(ask('--json', '/tmp/x').status).toBe(2);
    const bad = ask('--report', 'weather', '--json', '/tmp/x');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--report must be one of/);
    expect(ask('--report', 'sdg', '--json', '/tmp/x').stderr).toMatch(/needs --pairs/);
  });

  it('refuses an off-topic question and answers an on-topic one from cited sources', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-ask-'));
    const refused = join(dir, 'refused.json');
    expect(ask('--question', 'What is the capital of France?', '--json', refused).status).toBe(0);
    expect(JSON.parse(readFileSync(refused, 'utf8'))).toMatchObject({ refused: true, mode: 'refusal', citations: [], context: [] });
    const answered = join(dir, 'answered.json');
    const run = ask('--question', 'Which techniques reduce mercury emissions?', '--json', answered);
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(readFileSync(answered, 'utf8')) as Out;
    expect(out).toMatchObject({ refused: false, mode: 'retrieval' });
    expect(out.context.length).toBeGreaterThan(0);
    expect(out.citations).toEqual(out.context.map((c) => c.tag));
    // The sources are BREF sections, the best ones named after mercury; each line cites its source.
    expect(out.context.every((c) => c.kind === 'section' && CATALOGUE.section(c.id) !== undefined)).toBe(true);
    expect(CATALOGUE.section(out.context[0].id)?.title.toLowerCase()).toMatch(/mercury/);
    expect(out.context.filter((c) => /mercury/i.test(CATALOGUE.section(c.id)?.title ?? '')).length).toBeGreaterThan(out.context.length / 2);
    expect(out.answer.split('\n').every((line) => /\[B\d+\]\.$/.test(line))).toBe(true);
  });

  it('composes a report from the matches, every sentence cited', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-ask-'));
    const mercury = CATALOGUE.pollutants.find((p) => p.name.startsWith('Mercury'));
    const [a, b] = CATALOGUE.sectionsWith(mercury?.index ?? -1);
    const pairs = join(dir, 'pairs.jsonl');
    writeFileSync(pairs, [
      { patent: 'P1', section: a.id, prefilter: 0.2, pYes: 0.9 },
      { patent: 'P2', section: b.id, prefilter: 0.2, pYes: 0.8 },
      { patent: 'P3', section: b.id, prefilter: 0.2, pYes: 0.1 },
    ].map((l) => JSON.stringify(l)).join('\n'));
    const out = join(dir, 'report.json');
    const run = ask('--report', 'bref-pollutant', '--pollutant', 'mercury', '--pairs', pairs, '--json', out);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Out;
    expect(report).toMatchObject({ refused: false, mode: 'report' });
    expect(report.answer).toMatch(/Mercury and compounds \(as Hg\) is linked to \d+ BREF sections, and 2 patents abate it at relevance 0\.5 \[L1\]/);
    const paragraphs = report.answer.split('\n\n').slice(1);
    for (const sentence of paragraphs.flatMap((p) => p.split(/(?<=\])\s+/))) expect(sentence).toMatch(/\[[A-Z]\d+\]/);
    expect(report.context.map((c) => c.tag)).toEqual(expect.arrayContaining(report.citations));
  });

  it('answers with the bundled chat model through the app\'s chat engine when given --model', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ps-ask-')), 'model.json');
    const run = ask('--question', 'Which techniques reduce mercury emissions?', '--model', 'models/ps-llama-yesno-tiny', '--json', out);
    expect(run.status, run.stderr).toBe(0);
    const answer = JSON.parse(readFileSync(out, 'utf8')) as Out;
    expect(answer).toMatchObject({ refused: false, mode: 'model' });
    expect(answer.answer.length).toBeGreaterThan(0);
    expect(answer.answer).not.toContain('<|im_end|>');
    expect(answer.context.length).toBeGreaterThan(0);
  });
});
