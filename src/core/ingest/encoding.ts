/**
 * Which text encoding a file is in, and a streaming decoder for it. Most exports are UTF-8, but
 * Excel on Western-European Windows saves "CSV" as Windows-1252 (`Müller` as 4D FC 6C…, `€` as
 * 0x80), and as UTF-16 with a byte-order mark for "Unicode text". TextDecoder handles all of them
 * in browsers, workers and Node.
 */

export type TextEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** How the encoding is named to the user. */
export const ENCODING_LABELS: Readonly<Record<TextEncodingName, string>> = {
  'utf-8': 'UTF-8',
  'windows-1252': 'Windows-1252 (Latin-1)',
  'utf-16le': 'UTF-16 little-endian',
  'utf-16be': 'UTF-16 big-endian',
};

/** What a run of bytes looks like as UTF-8. */
interface Utf8Shape {
  /** Complete multi-byte sequences that are valid UTF-8, and bytes that are not. */
  valid: number;
  invalid: number;
  /** Control bytes other than tab, LF, FF and CR (NUL included): many of them mean binary data. */
  controls: number;
  /** Bytes at the end that may be the start of a sequence cut by the chunk boundary. */
  incompleteTail: number;
}

function utf8Shape(bytes: Uint8Array): Utf8Shape {
  const shape: Utf8Shape = { valid: 0, invalid: 0, controls: 0, incompleteTail: 0 };
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    if (b < 0x80) {
      if (b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13) shape.controls++;
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let continuation = 1;
    while (length > 0 && continuation < length && i + continuation < bytes.length && (bytes[i + continuation] & 0xc0) === 0x80) continuation++;
    if (length > 0 && continuation === length) {
      shape.valid++;
      i += length;
    } else if (length > 0 && i + continuation === bytes.length) {
      shape.incompleteTail = continuation;
      break;
    } else {
      shape.invalid++;
      i++;
    }
  }
  return shape;
}

/**
 * Bytes that are not UTF-8 but read as Windows-1252 text: accents between ASCII letters, never a
 * valid multi-byte sequence (a UTF-8 file with a stray byte stays UTF-8), hardly any control bytes.
 */
function looksLatin1(shape: Utf8Shape, length: number): boolean {
  return shape.invalid > 0 && shape.valid === 0 && shape.controls <= length / 1000;
}

/** The encoding of a file from its first bytes. UTF-16 without a byte-order mark is not guessed. */
export function sniffEncoding(head: Uint8Array): TextEncodingName {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  return looksLatin1(utf8Shape(head), head.length) ? 'windows-1252' : 'utf-8';
}

/**
 * Decodes a byte stream chunk by chunk. A UTF-8 file whose bytes so far were all ASCII may still
 * turn out to be Windows-1252 further on (the detection head holds only the header and the first
 * rows); since ASCII reads the same in both, the decoder switches there without re-reading, and
 * `switchedAtLine` says where.
 */
export class StreamDecoder {
  private decoder: TextDecoder;
  /** Only ASCII seen so far (UTF-8 files only): a switch to Windows-1252 is still possible. */
  private undecided: boolean;
  /** Bytes of a possibly cut sequence at the end of the last chunk, while undecided. */
  private carry = new Uint8Array(0);
  private newlines = 0;
  switchedAtLine: number | null = null;

  constructor(public encoding: TextEncodingName) {
    this.decoder = new TextDecoder(encoding);
    this.undecided = encoding === 'utf-8';
  }

  decode(bytes: Uint8Array): string {
    if (!this.undecided) return this.decoder.decode(bytes, { stream: true });
    const text = this.decoder.decode(bytes, { stream: true });
    // One character per byte and no replacement character: all ASCII (a bad byte becomes one U+FFFD).
    if (text.length === bytes.length && this.carry.length === 0 && !text.includes('\uFFFD')) {
      this.newlines += countNewlines(text);
      return text;
    }
    // The first non-ASCII bytes: judge them with the bytes a cut sequence may have left.
    const joined = this.carry.length === 0 ? bytes : concat(this.carry, bytes);
    const shape = utf8Shape(joined);
    if (looksLatin1(shape, joined.length)) {
      this.undecided = false;
      this.encoding = 'windows-1252';
      this.decoder = new TextDecoder('windows-1252');
      const latin1 = this.decoder.decode(joined);
      this.switchedAtLine = this.newlines + 1 + countNewlines(latin1.slice(0, firstNonAscii(latin1)));
      return latin1;
    }
    if (shape.valid > 0 || shape.invalid > 0) this.undecided = false;
    this.carry = joined.slice(joined.length - shape.incompleteTail);
    this.newlines += countNewlines(text);
    return text;
  }

  end(): string {
    return this.decoder.decode();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function firstNonAscii(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return i;
  return text.length;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
