/** The committed catalogue is what the script makes from the shared data, byte for byte. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCatalogue } from '../../scripts/make-catalogue';

const DATA = '../shared/data';
const present = existsSync(join(DATA, 'bref.jsonl')) && existsSync(join(DATA, 'bref_pollutants.tsv'));
if (!present) console.log(`make-catalogue.test.ts skipped: ${DATA}/bref.jsonl or bref_pollutants.tsv is absent (the regeneration check needs the shared data folder)`);

describe.skipIf(!present)('scripts/make-catalogue.ts', () => {
  it('regenerates public/catalogue/bref-catalogue.json byte for byte', () => {
    expect(makeCatalogue(DATA)).toBe(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));
  });

  it('writes the file from the command line, and no text of the source enters it', () => {
    const out = mkdtempSync(join(tmpdir(), 'catalogue-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-catalogue.ts', '--data', DATA, '--out', out], { encoding: 'utf8', timeout: 120_000 });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/"sections":5432/);
      const written = readFileSync(join(out, 'bref-catalogue.json'), 'utf8');
      expect(written).toBe(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));
      // Texts often open with their heading, which the file does hold; 80 characters from inside them must not appear.
      const texts = readFileSync(join(DATA, 'bref.jsonl'), 'utf8').trim().split('\n')
        .map((line) => (JSON.parse(line) as { text: string | null }).text)
        .filter((t): t is string => t !== null && t.length > 200);
      expect(texts.length).toBeGreaterThan(250);
      const leaked = texts.filter((t) => written.includes(JSON.stringify(t.slice(120, 200)).slice(1, -1)));
      expect(leaked.length).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('exits 2 with the usage on an unknown option', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-catalogue.ts', '--nope'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/usage: npx tsx scripts\/make-catalogue\.ts/);
  });
});
