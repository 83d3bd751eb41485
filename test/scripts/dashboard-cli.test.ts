/** The dashboard CLI as a user runs it: usage errors exit 2; a ranking from matched pairs and from reference sections. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../src/core/catalogue/decode';

function dashboardCli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/dashboard.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
}

const CATALOGUE = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));

describe('npm run dashboard', () => {
  it('prints the usage and exits 2 without input or with a bad option', () => {
    expect(dashboardCli().status).toBe(2);
    const bad = dashboardCli('--pairs', 'x.jsonl', '--relevance', '2');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--relevance must be between 0 and 1/);
    expect(dashboardCli('--colour').stderr).toMatch(/usage: npm run dashboard/);
  });

  it('ranks pollutants by the patents matched to their sections, from pairs and from reference sections', () => {
    const [a, b] = CATALOGUE.sections.filter((s) => s.pollutants.length > 0);
    const dir = mkdtempSync(join(tmpdir(), 'ps-dash-'));
    const pairs = join(dir, 'matched.jsonl');
    writeFileSync(pairs, [
      { patent: 'P1', section: a.id, prefilter: 0.4, pYes: 0.9 },
      { patent: 'P2', section: a.id, prefilter: 0.3, pYes: 0.2 },
      { patent: 'P2', section: b.id, prefilter: 0.3, pYes: 0.7 },
      { patent: 'P3', section: 'NOT:::1', prefilter: 0.3, pYes: 0.9 },
    ].map((l) => JSON.stringify(l)).join('\n'));
    const reference = join(dir, 'patents.jsonl');
    writeFileSync(reference, `${JSON.stringify({ id: 'R1', bref_sections: [a.id, b.id] })}\n${JSON.stringify({ id: 'R2', bref_sections: [] })}\n`);
    const out = join(dir, 'out.json');
    const run = dashboardCli('--pairs', pairs, '--reference', reference, '--top', '3', '--json', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/1 pairs outside the catalogue/);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { matched: { all: { pollutant: string; patents: number }[] }; reference: { all: { pollutant: string; patents: number }[] } };
    const expected = (patentsOf: (pollutant: number) => number) => CATALOGUE.pollutants.map((p) => [p.name, patentsOf(p.index)]);
    const inA = (p: number) => a.pollutants.includes(p);
    const inB = (p: number) => b.pollutants.includes(p);
    // P1 counts through a (0.9); P2 only through b (0.7; its 0.2 for a is below 0.5).
    const matched = new Map(result.matched.all.map((r) => [r.pollutant, r.patents]));
    for (const [name, n] of expected((p) => Number(inA(p)) + Number(inB(p)))) expect(matched.get(name as string)).toBe(n);
    const ref = new Map(result.reference.all.map((r) => [r.pollutant, r.patents]));
    for (const [name, n] of expected((p) => Number(inA(p) || inB(p)))) expect(ref.get(name as string)).toBe(n);
  });
});
