/** The match CLI as a user runs it: usage errors exit 2; a run writes one JSON line per pair. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function matchCli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/match.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
}

interface Line { patent: string; section: string; prefilter: number; pYes?: number; score: number }

const CATALOGUE = 'test/fixtures/catalogue/own.jsonl';
const PATENTS = 'public/demo/patents.jsonl';

describe('npm run match', () => {
  it('prints the usage and exits 2 on an unknown option, missing files or a bad --top', () => {
    const unknown = matchCli('--format', 'json');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/usage: npm run match/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    expect(matchCli('--patents', PATENTS).status).toBe(2);
    const top = matchCli('--patents', PATENTS, '--catalogue', CATALOGUE, '--top', '0', '--json', '/tmp/x');
    expect(top.status).toBe(2);
    expect(top.stderr).toMatch(/--top must be a whole number/);
    expect(matchCli('--patents', PATENTS, '--catalogue', CATALOGUE, '--fuse', 'magic', '--json', '/tmp/x').status).toBe(2);
  });

  it('writes the top K sections per patent, reports the catalogue\'s bad line, and scores given pairs with P(Yes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-match-'));
    const out = join(dir, 'top.jsonl');
    const run = matchCli('--patents', PATENTS, '--catalogue', CATALOGUE, '--top', '2', '--fuse', 'tfidf,bm25,embedding', '--json', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/own\.jsonl:3: not valid JSON/);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
    // Three sections load (the fourth line is broken); every patent gets at most two.
    expect(new Set(lines.map((l) => l.section))).toEqual(new Set(['ACME-1', 'ACME-2', 'ACME-3']));
    const perPatent = new Map<string, number>();
    for (const l of lines) perPatent.set(l.patent, (perPatent.get(l.patent) ?? 0) + 1);
    expect(Math.max(...perPatent.values())).toBeLessThanOrEqual(2);
    expect(perPatent.size).toBe(readFileSync(PATENTS, 'utf8').trim().split('\n').length);
    expect(lines.every((l) => l.score === l.prefilter && l.pYes === undefined)).toBe(true);

    const pairs = join(dir, 'pairs.jsonl');
    writeFileSync(pairs, `${JSON.stringify({ patent: lines[0].patent, section: 'ACME-1' })}\n${JSON.stringify({ patent: lines[1].patent, section: 'ACME-3' })}\n`);
    const verified = join(dir, 'verified.jsonl');
    const scored = matchCli('--patents', PATENTS, '--catalogue', CATALOGUE, '--pairs', pairs, '--verify', '--json', verified);
    expect(scored.status, scored.stderr).toBe(0);
    const rows = readFileSync(verified, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
    expect(rows.map((r) => [r.patent, r.section])).toEqual([[lines[0].patent, 'ACME-1'], [lines[1].patent, 'ACME-3']]);
    for (const r of rows) {
      expect(r.pYes).toBeGreaterThanOrEqual(0);
      expect(r.pYes).toBeLessThanOrEqual(1);
      expect(r.score).toBe(r.pYes);
      expect(Math.abs(r.prefilter)).toBeLessThanOrEqual(1);
    }
  });

  it('restricts --eval to the patents the matcher manifest lists as eval_patents, and refuses a bad --rerank', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-eval-'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ name: 'held-out-only', eval_patents: ['DEMO-000001', 'DEMO-000002', 'NOT-IN-FILE'] }));
    const out = join(dir, 'top.jsonl');
    const run = matchCli('--patents', PATENTS, '--catalogue', CATALOGUE, '--matcher', dir, '--eval', '--top', '2', '--json', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/--eval: restricted to the 2 of \d+ patents listed in .*manifest\.json eval_patents/);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
    // Only listed patents are matched (one of the two shares no word with the three sections, so it gets no row).
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.patent === 'DEMO-000001' || l.patent === 'DEMO-000002')).toBe(true);
    // A list that holds none of the file's patents is an error, not an empty evaluation.
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ eval_patents: ['NOT-IN-FILE'] }));
    const none = matchCli('--patents', PATENTS, '--catalogue', CATALOGUE, '--matcher', dir, '--eval', '--json', out);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/none of the patents .* is in the matcher's eval_patents/);
    const rerank = matchCli('--patents', PATENTS, '--catalogue', CATALOGUE, '--rerank', 'best', '--json', out);
    expect(rerank.status).toBe(2);
    expect(rerank.stderr).toMatch(/--rerank must be pyes or fuse/);
  });

  it('exports the pairs as batch requests and reads a batch runner\'s output back as P(Yes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-batch-'));
    const pairs = join(dir, 'pairs.jsonl');
    writeFileSync(pairs, `${JSON.stringify({ patent: 'DEMO-000001', section: 'ACME-1' })}\n${JSON.stringify({ patent: 'DEMO-000002', section: 'ACME-3' })}\n`);
    const requests = join(dir, 'requests.jsonl');
    const exported = matchCli('--patents', PATENTS, '--catalogue', CATALOGUE, '--pairs', pairs, '--export-batch', requests, '--batch-model', 'served-model', '--json', join(dir, 'pre.jsonl'));
    expect(exported.status, exported.stderr).toBe(0);
    const sent = readFileSync(requests, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; body: { model: string; messages: { role: string; content: string }[] } });
    expect(sent).toHaveLength(2);
    expect(sent[0].body.model).toBe('served-model');
    // The seed's prompt with the section's text and the patent's title.
    expect(sent[0].body.messages[1].content).toMatch(/^Section title: Closed-loop rinse water\nPollution abatement process: Rinse water is filtered/);
    expect(sent[0].body.messages[1].content).toMatch(/Only answer Yes or No\.$/);

    // What the runner writes back: the first pair answered Yes at 0.8 : 0.2, the second request failed.
    const output = join(dir, 'output.jsonl');
    writeFileSync(output, [
      JSON.stringify({ id: 'a', custom_id: sent[0].custom_id, error: null, response: { status_code: 200, body: { choices: [{ logprobs: { content: [{ token: 'Yes', logprob: Math.log(0.8),
        top_logprobs: [{ token: 'Yes', logprob: Math.log(0.8) }, { token: 'No', logprob: Math.log(0.2) }] }] } }] } } }),
      JSON.stringify({ id: 'b', custom_id: sent[1].custom_id, error: { message: 'timeout' }, response: null }),
    ].join('\n'));
    const out = join(dir, 'verified.jsonl');
    const imported = matchCli('--patents', PATENTS, '--catalogue', CATALOGUE, '--pairs', pairs, '--import-batch', output, '--json', out);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/1 pairs without P\(Yes\): request failed: timeout/);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
    expect(rows[0]).toMatchObject({ patent: 'DEMO-000001', section: 'ACME-1', pYes: 0.8, score: 0.8 });
    expect(rows[1]).toMatchObject({ patent: 'DEMO-000002', section: 'ACME-3', pYes: null, score: null });
  });
});
