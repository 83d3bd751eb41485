import { describe, expect, it } from 'vitest';
import { JsonlPatentParser, parseJsonlPatents } from '../../../src/core/parse/jsonl';

describe('JSON-lines patent parser', () => {
  it('loads good rows and reports each bad one with its line number and reason', () => {
    const text = [
      '{"id":"1","year":2001,"title":"Battery","codes":["H01M"]}',
      '{"id":"2","year":2001,"title":"Broken"',
      '',
      '{"id":"3","year":"soon","title":"Late","codes":[]}',
      '{"id":"4","year":2003,"title":"","codes":[]}',
      '{"id":5,"year":2004,"title":"Radio","abstract":"A receiver.","codes":["H04B"]}',
    ].join('\n');
    const { patents, errors } = parseJsonlPatents(text);
    expect(patents.map((p) => p.id)).toEqual(['1', '5']);
    expect(patents[1].abstract).toBe('A receiver.');
    expect(errors).toEqual([
      { line: 2, reason: 'not valid JSON' },
      { line: 4, reason: 'bad year "soon"' },
      { line: 5, reason: 'missing title' },
    ]);
  });

  it('gives the same result however the text is split into chunks', () => {
    const text = '{"id":"1","year":2001,"title":"A","codes":["X"]}\n{"id":"2","year":2002,"title":"B","codes":[]}';
    const parser = new JsonlPatentParser();
    for (let i = 0; i < text.length; i += 7) parser.push(text.slice(i, i + 7));
    expect(parser.end()).toEqual(parseJsonlPatents(text));
  });
});
