/**
 * Finds where XML reading resumes after malformed markup: the next match of a pattern (the start
 * tag of the reader's next document), searched in place in each pushed buffer, with the line
 * number kept. A match cut by a push boundary is found through the few characters kept between.
 */

/** An index in the whole input, and the 1-based line there. */
export interface Mark {
  pos: number;
  line: number;
}

/** Characters kept between buffers: longer than any start-tag name the pattern can match. */
const OVERLAP = 256;

export interface ResumePoint {
  mark: Mark;
  /** The match began in text kept from the previous buffer: that text, from the match on. */
  heldText: string;
  /** Where reading goes on in the buffer searched. */
  continueAt: number;
}

export class ResumeSearch {
  active = false;
  /** Counted work: characters searched. */
  charsSearched = 0;
  private held = '';
  /** Where `held` starts, or where the next buffer's search starts while `held` is empty. */
  private heldStart: Mark = { pos: 0, line: 1 };

  constructor(private readonly pattern: RegExp) {
    if (!pattern.global) throw new Error('the resume pattern must be a global regular expression');
  }

  /** Starts searching at `from`; the next buffer searched begins there. */
  begin(from: Mark): void {
    this.active = true;
    this.held = '';
    this.heldStart = from;
  }

  /** Searches `buffer` (whose index 0 is input index `at`) from index `from`; null when no match yet. */
  search(buffer: string, from: number, at: number): ResumePoint | null {
    if (this.held !== '') {
      const held = this.held;
      const start = this.heldStart;
      const window = held + buffer.slice(from, from + OVERLAP);
      this.charsSearched += window.length;
      this.pattern.lastIndex = 0;
      const match = this.pattern.exec(window);
      this.held = '';
      if (match !== null && match.index < held.length) {
        this.active = false;
        const mark = { pos: start.pos + match.index, line: start.line + countNewlines(held, 0, match.index) };
        return { mark, heldText: held.slice(match.index), continueAt: from };
      }
      if (match === null && window.length - held.length === buffer.length - from) {
        // The whole buffer was in the window: keep its end for the next one.
        const keep = Math.max(0, window.length - OVERLAP);
        this.held = window.slice(keep);
        this.heldStart = { pos: start.pos + keep, line: start.line + countNewlines(window, 0, keep) };
        return null;
      }
      this.heldStart = { pos: at + from, line: start.line + countNewlines(held, 0, held.length) };
    }
    this.pattern.lastIndex = from;
    const match = this.pattern.exec(buffer);
    const stop = match !== null ? match.index : Math.max(from, buffer.length - OVERLAP);
    this.charsSearched += (match !== null ? match.index + match[0].length : buffer.length) - from;
    const mark = { pos: at + stop, line: this.heldStart.line + countNewlines(buffer, from, stop) };
    if (match !== null) {
      this.active = false;
      return { mark, heldText: '', continueAt: stop };
    }
    this.held = buffer.slice(stop);
    this.heldStart = mark;
    return null;
  }
}

export function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
