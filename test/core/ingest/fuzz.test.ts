import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSources, importSources, type ImportSource } from '../../../src/core/ingest/engine';
import { EpoXmlPatentReader } from '../../../src/core/ingest/epo-xml';
import { MemorySink } from '../../../src/core/ingest/memory-sink';
import { mulberry32 } from '../../../src/core/random';

const FIXTURES = 'test/fixtures/ingest';
const MUTATIONS = 10_000;
const NASTY = ['"', '""', '\n', '\r\n', ',', '\t', '<', '>', '</', '{', '}', '[', ']', '\\', ';;', '&amp', '&#x', '<![CDATA[', '\u0000', 'é', '\uFFFD'];

function fixtureFiles(): { name: string; text: string }[] {
  const files: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (!entry.startsWith('not-a-patent')) files.push({ name: entry, text: readFileSync(path, 'utf8') });
    }
  };
  walk(FIXTURES);
  return files;
}

function mutate(text: string, rng: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(rng() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rng() * (out.length + 1));
    const kind = Math.floor(rng() * 5);
    if (kind === 0) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rng() * 20)); // delete a run
    else if (kind === 1) out = out.slice(0, at) + NASTY[Math.floor(rng() * NASTY.length)] + out.slice(at); // insert syntax
    else if (kind === 2) out = out.slice(0, at); // truncate
    else if (kind === 3) { // duplicate a slice (duplicate rows, repeated tags)
      const from = Math.floor(rng() * out.length);
      out = out.slice(0, at) + out.slice(from, from + Math.floor(rng() * 200)) + out.slice(at);
    } else out = out.slice(0, at) + String.fromCharCode(Math.floor(rng() * 0x3000)) + out.slice(at); // random character
  }
  return out;
}

/** Each record or error starts at a line, an object or a tag: more would mean work beyond the input. */
function maxOutputs(text: string): number {
  let starts = text.split('\n').length + 1;
  for (const c of text) if (c === '{' || c === '<') starts++;
  return starts;
}

/** Characters the XML reader parsed and searched, reading `text` in random pieces. */
function xmlWork(text: string, rng: () => number): number {
  const reader = new EpoXmlPatentReader('fuzz.xml');
  try {
    for (let i = 0; i < text.length;) {
      const size = 1 + Math.floor(rng() * 997);
      reader.push(text.slice(i, i + size));
      i += size;
    }
    reader.end();
  } catch {
    // Not EPO XML any more (the mutation cut its root): the work so far still counts.
  }
  return reader.work.charsParsed + reader.work.charsSearched;
}

function sourceOf(name: string, text: string, rng: () => number): ImportSource {
  const bytes = new TextEncoder().encode(text);
  return {
    name,
    bytes: bytes.byteLength,
    // Random chunk boundaries, including ones that split multi-byte characters.
    stream: () => new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length;) {
          const size = 1 + Math.floor(rng() * 97);
          controller.enqueue(bytes.slice(i, i + size));
          i += size;
        }
        controller.close();
      },
    }),
  };
}

describe('import fuzzing', () => {
  it(`survives ${MUTATIONS} mutated fixtures: no uncaught exception, work bounded by the input, a line number on every row error`, async () => {
    const fixtures = fixtureFiles();
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    const rng = mulberry32(7);
    let rowErrors = 0;
    let mostXmlWork = 0;
    for (let m = 0; m < MUTATIONS; m++) {
      const fixture = fixtures[m % fixtures.length];
      const text = mutate(fixture.text, rng);
      const lines = text.split('\n').length;
      const detected = await detectSources([sourceOf(fixture.name, text, rng)]);
      for (const d of detected) {
        if (!d.detected) {
          expect(d.error, `mutation ${m} of ${fixture.name}`).toMatch(/does not look like a patent file/);
          continue;
        }
        const { report } = await importSources([{ source: sourceOf(fixture.name, text, rng), detected: d.detected }], new MemorySink(), {});
        for (const error of report.rowErrors) {
          expect(Number.isInteger(error.line) && error.line >= 1 && error.line <= lines + 1, `mutation ${m} of ${fixture.name}: line ${error.line} of ${lines}`).toBe(true);
          expect(error.reason.length).toBeGreaterThan(0);
        }
        rowErrors += report.rowErrorCount;
        const outputs = report.rowsRead + report.rowErrorCount + (report.warningCount ?? 0);
        expect(outputs, `mutation ${m} of ${fixture.name}`).toBeLessThanOrEqual(maxOutputs(text));
      }
      if (fixture.name.endsWith('.xml')) {
        // Counted work, not time: each character parsed at most twice and searched at most once.
        const work = xmlWork(text, rng);
        mostXmlWork = Math.max(mostXmlWork, work / Math.max(1, text.length));
        expect(work, `mutation ${m} of ${fixture.name}`).toBeLessThanOrEqual(3 * text.length + 64);
      }
    }
    // The mutations must actually break rows, or this test proves nothing.
    expect(rowErrors).toBeGreaterThan(MUTATIONS / 10);
    console.log(`fuzz: ${MUTATIONS} mutations, ${rowErrors} row errors reported, XML work at most ${mostXmlWork.toFixed(2)} characters per input character`);
  }, 600_000);
});
