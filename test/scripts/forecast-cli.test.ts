/** The forecast CLI as a user runs it: bad command lines get the usage and exit status 2. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ForecastReport } from '../../src/core/forecast/forecast';

function forecastCli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/forecast.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('npm run forecast', () => {
  it('prints the usage and exits 2 on an unknown option, not a stack trace', () => {
    const run = forecastCli('--format', 'json');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Unknown option '--format'/);
    expect(run.stderr).toMatch(/usage: npm run forecast/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the usage and exits 2 without data, with a bad level and with bad windows', () => {
    expect(forecastCli().status).toBe(2);
    const level = forecastCli('--data', 'public/demo/patents.jsonl', '--level', 'group');
    expect(level.status).toBe(2);
    expect(level.stderr).toMatch(/unknown level "group"/);
    const windows = forecastCli('--data', 'public/demo/patents.jsonl', '--windows', '2000-1990,2001,2002', '--no-embeddings');
    expect(windows.status).toBe(2);
    expect(windows.stderr).toMatch(/usage: npm run forecast/);
  });

  it('defaults to the app\'s default model and warns when it was trained on the scoring years', () => {
    // Scored on 2006–2010: the bundled model's training data reach past that.
    const run = forecastCli('--data', 'public/demo/patents.jsonl', '--windows=-2000,2001-2005,2006-2010', '--top', '1');
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/mean-of-patents:ps-techtoken-tiny: \d+ code vectors/);
    expect(run.stderr).toMatch(/warning: ps-techtoken-tiny (does not state|was trained on patents up to \d+, which reaches into the scoring window 2006-2010)/);
  });
});

describe('npm run forecast: text-tfidf, hybrid, kinds, warnings', () => {
  it('--method text-tfidf,hybrid needs no model and writes kind, AUC, interval and ROC for every method, and the paired differences', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-cli-'));
    const out = join(dir, 'report.json');
    const run = forecastCli('--data', 'public/demo/patents.jsonl', '--method', 'text-tfidf,hybrid', '--top', '2', '--json', out);
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/code vectors from/);
    expect(run.stdout).toMatch(/hybrid fitted on learn ≤2005, embed 2006-2010, score 2011-2015/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as ForecastReport;
    const kinds = Object.fromEntries(report.methods.map((m) => [m.method, m.kind]));
    expect(kinds['text-tfidf']).toBe('embedding');
    expect(kinds.hybrid).toBe('hybrid');
    expect(kinds['resource-allocation']).toBe('baseline');
    for (const m of report.methods) {
      expect(['baseline', 'embedding', 'hybrid']).toContain(m.kind);
      expect(m.auc).toBeGreaterThan(0);
      expect(m.ci.low).toBeLessThanOrEqual(m.ci.high);
      expect(m.roc.fpr.length).toBeGreaterThan(2);
    }
    expect(report.paired.map((d) => d.a)).toEqual(['hybrid', 'text-tfidf']);
    expect(report.hybrid?.coefficients.length).toBe(7);
    expect(Object.keys(report.methods.find((m) => m.method === 'hybrid')?.top[0].features ?? {})).toContain('cosine:text-tfidf');
  });

  it('--method all runs the model methods, text-tfidf and the hybrid, whose features include the model\'s cosine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-all-'));
    const out = join(dir, 'report.json');
    const run = forecastCli('--data', 'public/demo/patents.jsonl', '--model', 'models/ps-encoder-tiny', '--method', 'all', '--top', '1', '--json', out);
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as ForecastReport;
    const kinds = Object.fromEntries(report.methods.map((m) => [m.method, m.kind]));
    expect(kinds).toMatchObject({ 'mean-of-patents:ps-encoder-tiny': 'embedding', 'text-tfidf': 'embedding', hybrid: 'hybrid', random: 'baseline' });
    expect(report.hybrid?.coefficients.map((c) => c.feature)).toContain('cosine:mean-of-patents:ps-encoder-tiny');
  });

  it('warns visibly, on stderr and in the JSON, when a model\'s until_year reaches into the scoring window', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-model-'));
    const model = join(dir, 'leaky-encoder');
    cpSync('models/ps-encoder-tiny', model, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8')) as { training: { until_year: number | null } };
    manifest.training.until_year = 2017;
    writeFileSync(join(model, 'manifest.json'), JSON.stringify(manifest));
    const out = join(dir, 'report.json');
    const run = forecastCli('--data', 'public/demo/patents.jsonl', '--model', model, '--method', 'mean-of-patents', '--top', '1', '--json', out);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/warning: leaky-encoder was trained on patents up to 2017, which reaches into the scoring window 2016-2020/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { warnings?: string[] };
    expect(report.warnings?.[0]).toMatch(/up to 2017/);
  });
});
