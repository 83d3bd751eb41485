/** `npm run ingest`: its exit status tells scripts whether every file imported. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FIXTURES = 'test/fixtures/ingest';

function ingest(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run ingest', () => {
  it('exits 0 when every file imports', () => {
    const { status, stdout } = ingest(`${FIXTURES}/generic.csv`);
    expect(stdout).toMatch(/patents imported 5/);
    expect(status).toBe(0);
  });

  it('exits 1 when a file is not a patent file, or fails during the import, after reporting the others', () => {
    const notPatents = ingest(`${FIXTURES}/generic.csv`, `${FIXTURES}/not-a-patent-notes.txt`);
    expect(notPatents.stdout).toMatch(/patents imported 5/);
    expect(notPatents.stderr).toMatch(/not-a-patent-notes\.txt.*does not look like a patent file/);
    expect(notPatents.status).toBe(1);

    // Detected as XML, found to hold no patent document only while importing.
    const feed = join(mkdtempSync(join(tmpdir(), 'ingest-cli-')), 'feed.xml');
    writeFileSync(feed, '<?xml version="1.0"?><rss><channel><title>News</title></channel></rss>');
    const failed = ingest(`${FIXTURES}/generic.csv`, feed);
    expect(failed.stderr).toMatch(/feed\.xml does not look like a patent file/);
    expect(failed.status).toBe(1);
  });

  it('exits 1 for a file that does not exist, naming it', () => {
    const { status, stderr } = ingest('no/such/file.csv');
    expect(stderr).toMatch(/no\/such\/file\.csv/);
    expect(status).toBe(1);
  });

  it('prints the usage and exits 2 on an unknown option or no file', () => {
    for (const args of [['--jsno', `${FIXTURES}/generic.csv`], []]) {
      const { status, stderr, stdout } = ingest(...args);
      expect(stderr).toMatch(/usage: npm run ingest -- FILE/);
      expect(stdout).toBe('');
      expect(status).toBe(2);
    }
  });
});
