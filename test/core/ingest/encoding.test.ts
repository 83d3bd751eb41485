import { describe, expect, it } from 'vitest';
import { sniffEncoding, StreamDecoder } from '../../../src/core/ingest/encoding';
import { detectSources, importSources, type ImportSource } from '../../../src/core/ingest/engine';
import { MemorySink } from '../../../src/core/ingest/memory-sink';

/** Windows-1252 bytes of `text` (what Excel writes for "CSV" on a Western-European Windows). */
function windows1252(text: string): Uint8Array {
  const special: Record<string, number> = {
    '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, '™': 0x99, 'œ': 0x9c,
  };
  return Uint8Array.from([...text].map((c) => {
    if (c in special) return special[c];
    const code = c.charCodeAt(0);
    if (code > 0xff) throw new Error(`${c} is not in Windows-1252`);
    return code;
  }));
}

function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const [first, second] = endian === 'le' ? [code & 0xff, code >> 8] : [code >> 8, code & 0xff];
    bytes[2 + 2 * i] = first;
    bytes[3 + 2 * i] = second;
  }
  return bytes;
}

function bytesSource(name: string, bytes: Uint8Array, chunkBytes = 1000): ImportSource {
  return {
    name,
    bytes: bytes.byteLength,
    stream: () => new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += chunkBytes) controller.enqueue(bytes.slice(i, i + chunkBytes));
        controller.close();
      },
    }),
  };
}

async function importBytes(name: string, bytes: Uint8Array, chunkBytes?: number) {
  const [detection] = await detectSources([bytesSource(name, bytes, chunkBytes)]);
  if (!detection.detected) throw new Error(detection.error);
  const sink = new MemorySink();
  const { report } = await importSources([{ source: detection.source, detected: detection.detected }], sink, {});
  return { detected: detection.detected, report, titles: [...sink.patents.values()].map((p) => p.title) };
}

const FRENCH = [
  'id;title;year;ipc',
  'FR1;Élément chauffé à émission réglée;2001;H05B 3/00',
  'FR2;Procédé de sécurité électrique – coût réduit à 5 €;2002;H02H 3/00',
  'FR3;Kühlschränke für Großküchen („Müller“ style);2003;F25D 11/00',
].join('\r\n');

describe('import of files that are not UTF-8', () => {
  it('reads a Windows-1252 CSV (accents, € as 0x80) and says which encoding it used', async () => {
    const { detected, report, titles } = await importBytes('excel.csv', windows1252(FRENCH));
    expect(detected).toMatchObject({ kind: 'csv', delimiter: ';', encoding: 'windows-1252' });
    expect(detected.explanation).toMatch(/Windows-1252/);
    expect(titles).toEqual([
      'Élément chauffé à émission réglée',
      'Procédé de sécurité électrique – coût réduit à 5 €',
      'Kühlschränke für Großküchen („Müller“ style)',
    ]);
    expect(report.files[0].encoding).toBe('windows-1252');
    expect(report.warnings).toEqual([{ line: 1, file: 'excel.csv', reason: expect.stringMatching(/not UTF-8: read as Windows-1252/) }]);
    expect(report.rowErrorCount).toBe(0);
  });

  it('switches to Windows-1252 when the first accent comes after the detection head, saying on which line', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `P${i},Plain ASCII title number ${i},2001,H04L 27/26`);
    const text = ['id,title,year,ipc', ...rows, 'P-late,Café crème,2002,A47J 31/00'].join('\n');
    expect(text.length).toBeGreaterThan(64 * 1024);
    const { detected, report, titles } = await importBytes('late.csv', windows1252(text), 4096);
    expect(detected.encoding ?? 'utf-8').toBe('utf-8'); // the head is plain ASCII
    expect(titles.at(-1)).toBe('Café crème');
    expect(report.files[0].encoding).toBe('windows-1252');
    expect(report.warnings).toEqual([{ line: 3002, file: 'late.csv', reason: expect.stringMatching(/not UTF-8: read as Windows-1252/) }]);
  });

  it('keeps UTF-8 when the file is UTF-8 with one bad byte (replaced, not re-read as Latin-1)', async () => {
    const utf8 = new TextEncoder().encode('title,year,ipc\nKühler für Öl,2001,F01P 3/00\n');
    const bad = new Uint8Array([...utf8, ...new TextEncoder().encode('Caf'), 0xe9, ...new TextEncoder().encode(' machine,2002,A47J 31/00\n')]);
    const { report, titles } = await importBytes('mixed.csv', bad);
    expect(titles).toEqual(['Kühler für Öl', 'Caf\uFFFD machine']);
    expect(report.files[0].encoding).toBe('utf-8');
  });

  it.each(['le', 'be'] as const)('reads UTF-16 %s with a byte-order mark', async (endian) => {
    const { detected, report, titles } = await importBytes(`unicode-${endian}.txt`, utf16('title\tyear\tipc\r\nΚινητήρας Müller\t2001\tF02B 75/00\r\n', endian), 7);
    expect(detected).toMatchObject({ kind: 'tsv', encoding: `utf-16${endian}` });
    expect(titles).toEqual(['Κινητήρας Müller']);
    expect(report.files[0].encoding).toBe(`utf-16${endian}`);
  });

  it('still rejects binary data', async () => {
    const [detection] = await detectSources([bytesSource('x.bin', Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256))]);
    expect(detection.detected).toBeNull();
    expect(detection.error).toMatch(/binary data/);
  });
});

describe('StreamDecoder', () => {
  it('keeps UTF-8 when a multi-byte character of an ASCII-only start is cut between chunks', () => {
    const bytes = new TextEncoder().encode('abc\nMüller\n');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const decoder = new StreamDecoder('utf-8');
      const text = decoder.decode(bytes.slice(0, cut)) + decoder.decode(bytes.slice(cut)) + decoder.end();
      expect(text, `cut at ${cut}`).toBe('abc\nMüller\n');
      expect(decoder.encoding).toBe('utf-8');
    }
  });

  it('sniffs byte-order marks, UTF-8 and Latin-1 from the head', () => {
    expect(sniffEncoding(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('utf-8');
    expect(sniffEncoding(Uint8Array.from([0xff, 0xfe, 0x61, 0]))).toBe('utf-16le');
    expect(sniffEncoding(Uint8Array.from([0xfe, 0xff, 0, 0x61]))).toBe('utf-16be');
    expect(sniffEncoding(new TextEncoder().encode('Müller'))).toBe('utf-8');
    expect(sniffEncoding(windows1252('Müller'))).toBe('windows-1252');
    expect(sniffEncoding(windows1252('plain'))).toBe('utf-8');
  });
});
