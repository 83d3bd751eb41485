import { chunkings } from './chunking';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/random';
import { MAX_TAG_CHARS, MAX_TEXT_EVENT_CHARS, XmlTokenizer, decodeEntities, localName, type XmlEvent } from '../../../src/core/ingest/xml-tokenizer';

function tokenize(pieces: string[]): XmlEvent[] {
  const tokenizer = new XmlTokenizer();
  return [...pieces.flatMap((piece) => tokenizer.push(piece)), ...tokenizer.end()];
}

/** Text may arrive in several events; consumers concatenate, so tests compare merged text. */
function mergeText(events: XmlEvent[]): XmlEvent[] {
  const merged: XmlEvent[] = [];
  for (const event of events) {
    const last = merged[merged.length - 1];
    if (event.kind === 'text' && last?.kind === 'text') merged[merged.length - 1] = { ...last, text: last.text + event.text };
    else merged.push(event);
  }
  return merged;
}

const SAMPLE = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<!DOCTYPE doc SYSTEM "doc.dtd" [',
  '  <!ENTITY e "x > y">',
  '  <!-- ] > \' " -->',
  ']>',
  '<exch:doc a="1 &amp; 2" b=\'say "hi"\' c="x>y">',
  '<t lang="en">A &lt;b&gt; &quot;c&quot; &apos;d&apos; &#65;&#x42; &#x1F600; &nbsp; &#xD800;</t>',
  '<!-- a comment with <tags> -->',
  '<c><![CDATA[<raw> & ]]]]><![CDATA[>]]></c>',
  '<?pi some > thing?>',
  '<empty/><empty2 k="v" />',
  '<multi',
  '  line="yes">two\r\nlines</multi>',
  '</exch:doc>',
].join('\n');

const SAMPLE_EVENTS: XmlEvent[] = [
  { kind: 'text', text: '\n', line: 1 },
  { kind: 'text', text: '\n', line: 5 },
  { kind: 'open', name: 'exch:doc', attributes: { a: '1 & 2', b: 'say "hi"', c: 'x>y' }, line: 6 },
  { kind: 'text', text: '\n', line: 6 },
  { kind: 'open', name: 't', attributes: { lang: 'en' }, line: 7 },
  { kind: 'text', text: 'A <b> "c" \'d\' AB \u{1F600} &nbsp; &#xD800;', line: 7 },
  { kind: 'close', name: 't', line: 7 },
  { kind: 'text', text: '\n\n', line: 7 },
  { kind: 'open', name: 'c', attributes: {}, line: 9 },
  { kind: 'text', text: '<raw> & ]]>', line: 9 },
  { kind: 'close', name: 'c', line: 9 },
  { kind: 'text', text: '\n\n', line: 9 },
  { kind: 'open', name: 'empty', attributes: {}, line: 11 },
  { kind: 'close', name: 'empty', line: 11 },
  { kind: 'open', name: 'empty2', attributes: { k: 'v' }, line: 11 },
  { kind: 'close', name: 'empty2', line: 11 },
  { kind: 'text', text: '\n', line: 11 },
  { kind: 'open', name: 'multi', attributes: { line: 'yes' }, line: 12 },
  { kind: 'text', text: 'two\r\nlines', line: 13 },
  { kind: 'close', name: 'multi', line: 14 },
  { kind: 'text', text: '\n', line: 14 },
  { kind: 'close', name: 'exch:doc', line: 15 },
];

describe('XmlTokenizer', () => {
  it('emits tags, decoded text and CDATA with their start lines, skipping comments, PIs and DOCTYPE', () => {
    // The text events between skipped constructs merge (comments do not split a text node).
    expect(mergeText(tokenize([SAMPLE]))).toEqual(mergeText(SAMPLE_EVENTS));
  });

  it('gives the same events however the input is chunked', () => {
    const expected = tokenize([SAMPLE]);
    for (const [name, pieces] of chunkings(SAMPLE, { maxPiece: 17 })) {
      expect(tokenize(pieces), name).toEqual(expected);
    }
  });

  it('gives the same events for every two-piece split', () => {
    const expected = tokenize([SAMPLE]);
    for (let cut = 0; cut <= SAMPLE.length; cut++) {
      expect(tokenize([SAMPLE.slice(0, cut), SAMPLE.slice(cut)]), `cut at ${cut}`).toEqual(expected);
    }
  });

  it('reports a tag cut off by the next "<" and resumes at that tag', () => {
    const events = tokenize(['<a>\n<b lang="en\n<c>text</c>\n</a>']);
    expect(events.filter((e) => e.kind !== 'text')).toEqual([
      { kind: 'open', name: 'a', attributes: {}, line: 1 },
      { kind: 'error', message: 'unterminated tag <b>', line: 2 },
      { kind: 'open', name: 'c', attributes: {}, line: 3 },
      { kind: 'close', name: 'c', line: 3 },
      { kind: 'close', name: 'a', line: 4 },
    ]);
  });

  it('keeps a stray "<" as text and reports it', () => {
    expect(tokenize(['<p>1 < 2</p>'])).toEqual([
      { kind: 'open', name: 'p', attributes: {}, line: 1 },
      { kind: 'error', message: 'stray "<" (not the start of a tag); kept as text', line: 1 },
      { kind: 'text', text: '1 < 2', line: 1 },
      { kind: 'close', name: 'p', line: 1 },
    ]);
  });

  it.each([
    ['<a>text<!-- open', 'unterminated comment (file ends inside it)', 1],
    ['<a>\n<![CDATA[ open', 'unterminated cdata (file ends inside it)', 2],
    ['<a>\n\n<b x="1', 'unterminated tag (file ends inside it)', 3],
    ['<a>text<', 'unterminated markup "<"', 1],
    ['<?xml version="1.0"', 'unterminated processing instruction (file ends inside it)', 1],
  ])('reports input that ends inside a construct: %s', (text, message, line) => {
    for (const [, pieces] of chunkings(text, { maxPiece: 17 })) {
      expect(tokenize(pieces).filter((e) => e.kind === 'error')).toEqual([{ kind: 'error', message, line }]);
    }
  });

  it('never throws on random markup-like garbage, and chunking does not change the result', () => {
    const alphabet = '<>/"\'&;#x![]-?=aZ \n';
    const rng = mulberry32(42);
    for (let round = 0; round < 200; round++) {
      let text = '';
      for (let i = 0; i < 80; i++) text += alphabet[Math.floor(rng() * alphabet.length)];
      const expected = mergeText(tokenize([text]));
      for (const [name, pieces] of chunkings(text, { seeds: [round], maxPiece: 17 })) {
        expect(mergeText(tokenize(pieces)), `${JSON.stringify(text)} ${name}`).toEqual(expected);
      }
    }
  });

  it('splits a huge text node into bounded events whose concatenation is the text', () => {
    const body = 'abc &amp; def '.repeat(Math.ceil((MAX_TEXT_EVENT_CHARS * 2.5) / 14));
    const pieces = chunkings(`<a>${body}</a>`, { seeds: [7], maxPiece: 17 })[2][1];
    const tokenizer = new XmlTokenizer();
    const events: XmlEvent[] = [];
    // Large pieces make the test fast; the cap applies per push.
    for (let i = 0; i < pieces.length; i += 4096) events.push(...tokenizer.push(pieces.slice(i, i + 4096).join('')));
    events.push(...tokenizer.end());
    const texts = events.filter((e): e is Extract<XmlEvent, { kind: 'text' }> => e.kind === 'text');
    expect(texts.length).toBeGreaterThan(2);
    expect(Math.max(...texts.map((t) => t.text.length))).toBeLessThan(MAX_TEXT_EVENT_CHARS + 70_000);
    expect(texts.map((t) => t.text).join('')).toBe(decodeEntities(body));
  });

  it('stays linear on a one-line file with many tags', () => {
    const doc = `<r>${'<x a="1">t</x>'.repeat(200_000)}</r>`;
    const started = performance.now();
    let count = 0;
    const tokenizer = new XmlTokenizer();
    for (let i = 0; i < doc.length; i += 65_536) count += tokenizer.push(doc.slice(i, i + 65_536)).length;
    count += tokenizer.end().length;
    expect(count).toBe(600_002);
    expect(performance.now() - started).toBeLessThan(5_000); // quadratic scanning takes minutes
  });

  it('drops a tag that never ends instead of buffering the rest of the file', () => {
    const tokenizer = new XmlTokenizer();
    const events = [...tokenizer.push('<a>\n<b title="'), ...tokenizer.push('x'.repeat(MAX_TAG_CHARS + 1)), ...tokenizer.push('"></a>')];
    expect(events.filter((e) => e.kind === 'error')).toEqual([
      { kind: 'error', message: `tag longer than ${MAX_TAG_CHARS} characters; dropped`, line: 2 },
    ]);
    expect(events[events.length - 1]).toEqual({ kind: 'close', name: 'a', line: 2 });
  });

  it('skips a leading byte-order mark', () => {
    expect(tokenize(['\uFEFF<a/>'])[0]).toEqual({ kind: 'open', name: 'a', attributes: {}, line: 1 });
  });

  it('strips namespace prefixes in localName', () => {
    expect(localName('exch:exchange-document')).toBe('exchange-document');
    expect(localName('abstract')).toBe('abstract');
  });
});
