import { chunkings } from './chunking';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/random';
import { MAX_CHARS_WITHOUT_MARKUP, XmlEventStream } from '../../../src/core/ingest/xml-events';

type XmlEvent =
  | { kind: 'open'; name: string; attributes: Record<string, string>; line: number }
  | { kind: 'close'; name: string; line: number }
  | { kind: 'text'; text: string }
  | { kind: 'error'; message: string; line: number };

/** Resumes after an error at the next `<doc` start tag, as the EPO reader does at its documents. */
const RESUME = /<doc(?=[\s/>])/g;

function streamOf(events: XmlEvent[], resumeAt = RESUME): XmlEventStream {
  return new XmlEventStream({
    open: (name, attributes, line) => events.push({ kind: 'open', name, attributes: { ...attributes }, line }),
    close: (name, line) => events.push({ kind: 'close', name, line }),
    // Text may arrive in several events; consumers concatenate, so the tests compare merged text.
    text: (text) => {
      const last = events[events.length - 1];
      if (last?.kind === 'text') last.text += text;
      else events.push({ kind: 'text', text });
    },
    error: (message, line) => events.push({ kind: 'error', message, line }),
  }, resumeAt);
}

function parse(pieces: string[], resumeAt = RESUME): XmlEvent[] {
  const events: XmlEvent[] = [];
  const stream = streamOf(events, resumeAt);
  for (const piece of pieces) stream.push(piece);
  stream.end();
  return events;
}

const withoutText = (events: XmlEvent[]) => events.filter((e) => e.kind !== 'text');

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
  { kind: 'text', text: '\n\n' },
  { kind: 'open', name: 'exch:doc', attributes: { a: '1 & 2', b: 'say "hi"', c: 'x>y' }, line: 6 },
  { kind: 'text', text: '\n' },
  { kind: 'open', name: 't', attributes: { lang: 'en' }, line: 7 },
  // DTD entities (`&nbsp;`) and references to no character stay as written, without an error.
  { kind: 'text', text: 'A <b> "c" \'d\' AB \u{1F600} &nbsp; &#xD800;' },
  { kind: 'close', name: 't', line: 7 },
  { kind: 'text', text: '\n\n' },
  { kind: 'open', name: 'c', attributes: {}, line: 9 },
  { kind: 'text', text: '<raw> & ]]>' },
  { kind: 'close', name: 'c', line: 9 },
  { kind: 'text', text: '\n\n' },
  { kind: 'open', name: 'empty', attributes: {}, line: 11 },
  { kind: 'close', name: 'empty', line: 11 },
  { kind: 'open', name: 'empty2', attributes: { k: 'v' }, line: 11 },
  { kind: 'close', name: 'empty2', line: 11 },
  { kind: 'text', text: '\n' },
  { kind: 'open', name: 'multi', attributes: { line: 'yes' }, line: 12 },
  { kind: 'text', text: 'two\nlines' }, // XML line ends are normalised to \n
  { kind: 'close', name: 'multi', line: 14 },
  { kind: 'text', text: '\n' },
  { kind: 'close', name: 'exch:doc', line: 15 },
];

describe('XmlEventStream', () => {
  it('emits tags with the line of their "<", decoded text and CDATA, skipping comments, PIs and DOCTYPE', () => {
    expect(parse([SAMPLE])).toEqual(SAMPLE_EVENTS);
  });

  it('gives the same events however the input is chunked', () => {
    for (const [name, pieces] of chunkings(SAMPLE, { maxPiece: 17 })) expect(parse(pieces), name).toEqual(SAMPLE_EVENTS);
  });

  it('gives the same events for every two-piece split', () => {
    for (let cut = 0; cut <= SAMPLE.length; cut++) {
      expect(parse([SAMPLE.slice(0, cut), SAMPLE.slice(cut)]), `cut at ${cut}`).toEqual(SAMPLE_EVENTS);
    }
  });

  it('reports an end tag by the name written, once, and leaves nesting to the reader', () => {
    expect(withoutText(parse(['<a>\n<p>x</a>\n</y></b>']))).toEqual([
      { kind: 'open', name: 'a', attributes: {}, line: 1 },
      { kind: 'open', name: 'p', attributes: {}, line: 2 },
      { kind: 'close', name: 'a', line: 2 },
      { kind: 'close', name: 'y', line: 3 },
      { kind: 'close', name: 'b', line: 3 },
    ]);
  });

  it('reports a tag cut off by the next "<" at its line, and resumes at the next resume point', () => {
    const text = '<r>\n<doc><b lang="en\n<c>lost</c>\n<doc n="2">kept</doc>\n</r>';
    for (const [name, pieces] of chunkings(text, { maxPiece: 7 })) {
      expect(withoutText(parse(pieces)), name).toEqual([
        { kind: 'open', name: 'r', attributes: {}, line: 1 },
        { kind: 'open', name: 'doc', attributes: {}, line: 2 },
        { kind: 'error', message: 'unterminated tag <b>', line: 2 },
        { kind: 'open', name: 'doc', attributes: { n: '2' }, line: 4 },
        { kind: 'close', name: 'doc', line: 4 },
        { kind: 'close', name: 'r', line: 5 },
      ]);
    }
  });

  it('reports an unescaped "&", which swallows markup in saxes, and resumes where the markup was', () => {
    const text = '<r><doc>R & D</doc>\n<doc>fine</doc></r>';
    for (const [name, pieces] of chunkings(text)) {
      const events = parse(pieces);
      expect(events.filter((e) => e.kind === 'error'), name).toHaveLength(1);
      expect(events.slice(-4), name).toEqual([
        { kind: 'open', name: 'doc', attributes: {}, line: 2 },
        { kind: 'text', text: 'fine' },
        { kind: 'close', name: 'doc', line: 2 },
        { kind: 'close', name: 'r', line: 2 },
      ]);
    }
  });

  it('reports a stray "<" in text', () => {
    expect(withoutText(parse(['<p>1 < 2</p>']))).toEqual([
      { kind: 'open', name: 'p', attributes: {}, line: 1 },
      { kind: 'error', message: 'stray "<" (not the start of a tag)', line: 1 },
    ]);
  });

  it.each([
    ['<a>text<!-- open', 1],
    ['<a>\n<![CDATA[ open', 2],
    ['<a>\n\n<b x="1', 3],
    ['<a>text<', 1],
    ['<?xml version="1.0"', 1],
  ])('reports input that ends inside markup: %j', (text, line) => {
    for (const [name, pieces] of chunkings(text, { maxPiece: 17 })) {
      expect(parse(pieces).filter((e) => e.kind === 'error'), name).toEqual([
        { kind: 'error', message: 'the file ends inside a tag, comment or other markup', line },
      ]);
    }
  });

  it('reads documents concatenated with their own declarations and DOCTYPEs as one stream, without errors', () => {
    const one = (n: number) => `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE doc SYSTEM "doc.dtd">\n<doc n="${n}"/>\n`;
    const text = `\uFEFF${one(1)}${one(2)}<?xml-stylesheet href="x"?>${one(3)}`;
    for (const [name, pieces] of chunkings(text, { maxPiece: 11 })) {
      expect(withoutText(parse(pieces)), name).toEqual([1, 2, 3].flatMap((n) => [
        { kind: 'open', name: 'doc', attributes: { n: String(n) }, line: 3 * n },
        { kind: 'close', name: 'doc', line: 3 * n },
      ]));
    }
  });

  it('never throws on random markup-like garbage, and chunking does not change the result', () => {
    const alphabet = ['<', '>', '/', '"', "'", '&', ';', '#x', '!', '[', ']', '-', '?', '=', 'a', 'doc', ' ', '\n', '<doc>', '</doc>', '<?xml ', '&amp;'];
    const rng = mulberry32(42);
    for (let round = 0; round < 300; round++) {
      let text = '';
      for (let i = 0; i < 60; i++) text += alphabet[Math.floor(rng() * alphabet.length)];
      const expected = parse([text]);
      for (const [name, pieces] of chunkings(text, { seeds: [round], maxPiece: 17 })) {
        expect(parse(pieces), `${JSON.stringify(text)} ${name}`).toEqual(expected);
      }
    }
  });

  it('keeps a long text node whole, and gives up on a stretch without any markup', () => {
    const long = 'abc &amp; def '.repeat(200_000); // 2.8 M characters
    const events = parse([`<doc>${long}</doc>`]);
    expect(events.map((e) => e.kind)).toEqual(['open', 'text', 'close']);
    expect(events[1]).toEqual({ kind: 'text', text: long.replaceAll('&amp;', '&') });

    const runaway: XmlEvent[] = [];
    const bounded = streamOf(runaway);
    bounded.push('<r>\n<doc a="never closed');
    for (let sent = 0; sent <= MAX_CHARS_WITHOUT_MARKUP; sent += 1 << 16) bounded.push('x'.repeat(1 << 16));
    bounded.push('"/>\n<doc n="2"/></r>');
    bounded.end();
    expect(runaway.filter((e) => e.kind === 'error')).toEqual([
      { kind: 'error', message: `no markup in ${MAX_CHARS_WITHOUT_MARKUP} characters`, line: 2 },
    ]);
    expect(runaway.slice(-3)).toEqual([
      { kind: 'open', name: 'doc', attributes: { n: '2' }, line: 3 },
      { kind: 'close', name: 'doc', line: 3 },
      { kind: 'close', name: 'r', line: 3 },
    ]);
  });

  it('parses each character once on a one-line file with many tags', () => {
    const doc = `<r>${'<x a="1">t</x>'.repeat(200_000)}</r>`;
    let count = 0;
    const stream = new XmlEventStream({ open: () => count++, close: () => count++, text: () => count++, error: () => count++ }, RESUME);
    for (let i = 0; i < doc.length; i += 65_536) stream.push(doc.slice(i, i + 65_536));
    stream.end();
    expect(count).toBe(600_002);
    expect(stream.charsParsed).toBe(doc.length);
    expect(stream.charsSearched).toBe(0);
  });

  it('does linear work when every document is broken: no text is parsed more than twice', () => {
    // Each document is cut by an unescaped "&" whose ";" lies several documents later.
    const broken = Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? `<doc n="${i}">a & b` : `<doc n="${i}">x</doc>;`)).join('\n');
    const text = `<r>${broken}</r>`;
    for (const size of [text.length, 4096, 97]) {
      const stream = streamOf([]);
      for (let i = 0; i < text.length; i += size) stream.push(text.slice(i, i + size));
      stream.end();
      expect(stream.charsParsed, `pieces of ${size}`).toBeLessThanOrEqual(2 * text.length);
      expect(stream.charsSearched, `pieces of ${size}`).toBeLessThanOrEqual(2 * text.length);
    }
  });

  it('stops at an event when asked, and resumes at the next resume point', () => {
    const events: XmlEvent[] = [];
    let stream: XmlEventStream | null = null;
    stream = new XmlEventStream({
      open: (name, _attributes, line) => {
        events.push({ kind: 'open', name, attributes: {}, line });
        if (name === 'bad') stream?.skipToResume();
      },
      close: (name, line) => events.push({ kind: 'close', name, line }),
      text: () => undefined,
      error: (message, line) => events.push({ kind: 'error', message, line }),
    }, RESUME);
    stream.push('<r><doc><bad><x/></bad></doc>\n<doc/></r>');
    stream.end();
    expect(events).toEqual([
      { kind: 'open', name: 'r', attributes: {}, line: 1 },
      { kind: 'open', name: 'doc', attributes: {}, line: 1 },
      { kind: 'open', name: 'bad', attributes: {}, line: 1 },
      { kind: 'open', name: 'doc', attributes: {}, line: 2 },
      { kind: 'close', name: 'doc', line: 2 },
      { kind: 'close', name: 'r', line: 2 },
    ]);
  });

  it('refuses a resume pattern without the global flag (it is searched from an index)', () => {
    expect(() => streamOf([], /<doc/)).toThrow(/global/);
  });
});
