/** The forecast CLI as a user runs it: bad command lines get the usage and exit status 2. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

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
