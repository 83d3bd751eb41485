/** The committed reference files are what the script makes from the shared data, byte for byte. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeReference } from '../../scripts/make-reference';

const DATA = '../shared/data';
const SOURCES = ['sdg_pollutant_impacts.json', 'ipc_titles.tsv'];
const present = SOURCES.every((file) => existsSync(join(DATA, file)));
if (!present) console.log(`make-reference.test.ts skipped: ${DATA}/${SOURCES.join(' or ')} is absent (the regeneration check needs the shared data folder)`);

describe.skipIf(!present)('scripts/make-reference.ts', () => {
  it('regenerates public/reference/ byte for byte, the same bytes on every run', () => {
    const first = makeReference(DATA);
    const second = makeReference(DATA);
    expect(second.sdgText).toBe(first.sdgText);
    expect(second.ipcText).toBe(first.ipcText);
    expect(first.sdgText).toBe(readFileSync('public/reference/sdg-impacts.json', 'utf8'));
    expect(first.ipcText).toBe(readFileSync('public/reference/ipc-titles.json', 'utf8'));
  });

  it('writes both files from the command line and prints the counts and the reconciliation', () => {
    const out = mkdtempSync(join(tmpdir(), 'reference-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-reference.ts', '--data', DATA, '--out', out], { encoding: 'utf8', timeout: 120_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/sdg-impacts\.json: \d+ bytes, \{"goals":17,"pollutants":57,/);
      expect(run.stdout).toMatch(/ipc-titles\.json: \d+ bytes, \{"sections":8,"classes":112,"subclasses":650,"mainGroups":4091,/);
      expect(run.stdout).toMatch(/SDG pollutants tied to the catalogue's 74: 57 of 57/);
      expect(run.stdout).toMatch(/catalogue pollutants without SDG figures \(17\):\n {2}4 Aldrin\n/);
      expect(readFileSync(join(out, 'sdg-impacts.json'), 'utf8')).toBe(readFileSync('public/reference/sdg-impacts.json', 'utf8'));
      expect(readFileSync(join(out, 'ipc-titles.json'), 'utf8')).toBe(readFileSync('public/reference/ipc-titles.json', 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('exits 1 with the reason when a source is missing, and 2 with the usage on an unknown option', () => {
    const missing = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-reference.ts', '--data', join(tmpdir(), 'no-such-folder'), '--out', join(tmpdir(), 'unused')], { encoding: 'utf8', timeout: 120_000 });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no-such-folder.*sdg_pollutant_impacts\.json/);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-reference.ts', '--nope'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/usage: npx tsx scripts\/make-reference\.ts/);
  });
});
