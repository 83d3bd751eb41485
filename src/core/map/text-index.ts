/**
 * Word search over many short documents (the patent map's title + abstract + id + codes): a
 * patent matches when its lower-cased text contains every word of the query, case-insensitive.
 *
 * The texts are packed into a few large strings per block (rows separated by U+0000, which no
 * query word contains), so one `indexOf` scan per word finds every hit and a binary search over
 * the row offsets names the row. At 650,000 patents that is far fewer objects than one string
 * per patent; blocks stay well under V8's maximum string length. Query words never hold the
 * separator (searchWords splits on it), so no hit spans two rows.
 */

/** Characters per block: far below V8's ~2^29 limit, large enough that scans stay long. */
const BLOCK_CHARS = 32 * 1024 * 1024;
const SEPARATOR = '\u0000';

interface Block {
  text: string;
  /** Offset of each row's text within `text`; row r of the block is global row firstRow + r. */
  starts: Int32Array;
  firstRow: number;
}

/** The words of a query, as the search compares them (lower case, split on white space and on the row separator). */
export function searchWords(query: string): string[] {
  return query.toLowerCase().split(/[\s\u0000]+/).filter(Boolean);
}

/** The text a patent is searched by, in the form the map has always searched. */
export function searchText(patent: { id: string; title?: string; abstract?: string; codes?: readonly string[] }): string {
  return `${patent.id} ${patent.title ?? ''} ${patent.abstract ?? ''} ${(patent.codes ?? []).join(' ')}`;
}

export class TextIndex {
  private readonly blocks: Block[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  private rows = 0;

  /** Adds the next row's text (rows are numbered in the order they are added). */
  add(text: string): void {
    const lower = text.replaceAll(SEPARATOR, ' ').toLowerCase();
    if (this.pendingChars + lower.length > BLOCK_CHARS && this.pending.length > 0) this.flush();
    this.pending.push(lower);
    this.pendingChars += lower.length + 1;
  }

  get size(): number {
    return this.rows + this.pending.length;
  }

  /** One flag per row: 1 where the row contains every word of `query`; null for an empty query. */
  matches(query: string): Uint8Array | null {
    const words = searchWords(query);
    if (words.length === 0) return null;
    this.flush();
    const out = new Uint8Array(this.rows).fill(1);
    const hit = new Uint8Array(this.rows);
    for (const word of words) {
      hit.fill(0);
      for (const block of this.blocks) markHits(block, word, hit);
      for (let i = 0; i < out.length; i++) out[i] &= hit[i];
    }
    return out;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const starts = new Int32Array(this.pending.length);
    let offset = 0;
    this.pending.forEach((text, i) => {
      starts[i] = offset;
      offset += text.length + 1;
    });
    this.blocks.push({ text: this.pending.join(SEPARATOR), starts, firstRow: this.rows });
    this.rows += this.pending.length;
    this.pending = [];
    this.pendingChars = 0;
  }
}

function markHits(block: Block, word: string, hit: Uint8Array): void {
  const { text, starts, firstRow } = block;
  let at = text.indexOf(word);
  while (at >= 0) {
    const row = rowAt(starts, at);
    hit[firstRow + row] = 1;
    // The rest of this row cannot add anything: continue at the next row.
    const next = row + 1 < starts.length ? starts[row + 1] : text.length;
    at = text.indexOf(word, next);
  }
}

/** The last row whose start is ≤ offset. */
function rowAt(starts: Int32Array, offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}
