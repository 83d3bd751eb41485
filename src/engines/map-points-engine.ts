/**
 * What the patent map needs to know about its points, kept in the compute worker so the page
 * never holds every patent: per row (the layout's order) a year and a section for colouring,
 * titles and codes for the hover card and the export, a word index for search, and the codes at
 * the dataset's level for the selection shared with the technology space.
 *
 * Codes are dictionary-encoded (one string per distinct code, rows hold indices), so a
 * "colour by code" query tests each distinct code once instead of every code of every patent.
 */
import { AbortRegistry, throwIfAborted, type TaskOptions } from '../core/abort';
import { codeAt } from '../core/codes';
import { sectionIndex, NO_SECTION } from '../core/ipc-sections';
import { codeMatcher } from '../core/map/code-match';
import { searchText, TextIndex } from '../core/map/text-index';
import { ProgressTracker, type ProgressCallback } from '../core/progress';
import { sectionOf } from '../core/sections';
import type { CodeLevel, Patent } from '../core/types';
import { DatasetStore } from '../store/dataset-store';
import { transferring } from './transfer';
import { FNV_OFFSET, fnv1aString } from '../core/hash';

/** Patents read per store transaction while loading. */
const READ_BATCH = 5_000;
/** Codes offered in the map's code box, most frequent first. */
const MAX_CODE_SUGGESTIONS = 300;

export interface MapPointColumns {
  /** Handle for the queries below: dataset, level and row order. */
  key: string;
  count: number;
  /** Year per row; NaN when unknown. */
  years: Float32Array;
  /** Section of each row's first code, as an index into SECTION_LETTERS; NO_SECTION when none. */
  sections: Uint8Array;
  /** The most frequent codes at the level, for the code box. */
  codeSuggestions: string[];
}

export interface MapPatentSummary {
  id: string;
  title: string;
  year: number | null;
  codes: string[];
}

export interface MatchMask {
  /** One flag per row. */
  mask: Uint8Array;
  count: number;
}

/** Codes of every row in compressed rows: row r holds codes[starts[r] … starts[r + 1]). */
interface CodeRows {
  dictionary: string[];
  starts: Int32Array;
  codes: Int32Array;
}

interface LoadedPoints {
  key: string;
  ids: string[];
  titles: string[];
  years: Float32Array;
  all: CodeRows;
  atLevel: CodeRows;
  index: TextIndex;
  columns: MapPointColumns;
}

export class MapPointsEngine {
  private readonly aborts = new AbortRegistry();
  private storePromise: Promise<DatasetStore> | null = null;
  /** The points last loaded; one dataset at a time, which is what the map shows. */
  private loaded: Promise<LoadedPoints> | null = null;
  private loadedKey = '';

  constructor(private readonly dbName?: string) {}

  /** Reads the dataset's patents for the layout rows `ids` (or returns what is loaded for them). */
  async load(datasetId: string, level: CodeLevel, ids: string[], task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<MapPointColumns> {
    const key = pointsKey(datasetId, level, ids);
    if (this.loaded && this.loadedKey === key) {
      try {
        return handOver((await this.loaded).columns);
      } catch {
        // A failed or cancelled earlier load: read again below.
      }
    }
    const signal = this.aborts.begin(task.taskId, task.signal);
    this.loadedKey = key;
    this.loaded = this.read(key, datasetId, level, ids, signal, onProgress);
    try {
      return handOver((await this.loaded).columns);
    } catch (error) {
      if (this.loadedKey === key) {
        this.loaded = null;
        this.loadedKey = '';
      }
      throw error;
    } finally {
      this.aborts.end(task.taskId);
    }
  }

  /** Rows whose text holds every word of `query`; null mask for an empty query. */
  async search(key: string, query: string): Promise<{ mask: Uint8Array | null; count: number }> {
    const points = await this.points(key);
    const mask = points.index.matches(query);
    return transferring({ mask, count: mask ? countOnes(mask) : 0 }, [mask]);
  }

  /** Rows with `code` or a code under it (see codeMatcher). */
  async withCode(key: string, code: string): Promise<MatchMask> {
    const { all, ids } = await this.points(key);
    const matcher = codeMatcher(code);
    const wanted = Uint8Array.from(all.dictionary, (c) => (matcher?.([c]) ? 1 : 0));
    return handOverMask(rowsWith(all, ids.length, wanted));
  }

  /** Rows with one of `codes` at the dataset's level (a selection made in the technology space). */
  async withLevelCodes(key: string, codes: readonly string[]): Promise<MatchMask> {
    const { atLevel, ids } = await this.points(key);
    const set = new Set(codes);
    const wanted = Uint8Array.from(atLevel.dictionary, (c) => (set.has(c) ? 1 : 0));
    return handOverMask(rowsWith(atLevel, ids.length, wanted));
  }

  /** The codes at the dataset's level of the flagged rows, sorted (for the technology space). */
  async levelCodesOf(key: string, mask: Uint8Array): Promise<string[]> {
    const { atLevel } = await this.points(key);
    const seen = new Uint8Array(atLevel.dictionary.length);
    for (let row = 0; row < mask.length; row++) {
      if (!mask[row]) continue;
      for (let at = atLevel.starts[row]; at < atLevel.starts[row + 1]; at++) seen[atLevel.codes[at]] = 1;
    }
    return atLevel.dictionary.filter((_, i) => seen[i]).sort();
  }

  /** Id, title, year and codes of some rows (the hover card, the selection's export). */
  async summaries(key: string, rows: readonly number[]): Promise<MapPatentSummary[]> {
    const { ids, titles, years, all } = await this.points(key);
    return rows.filter((row) => row >= 0 && row < ids.length).map((row) => ({
      id: ids[row], title: titles[row], year: Number.isFinite(years[row]) ? years[row] : null,
      codes: Array.from(all.codes.subarray(all.starts[row], all.starts[row + 1]), (c) => all.dictionary[c]),
    }));
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }

  destroy(): void {
    this.loaded = null;
    this.loadedKey = '';
  }

  private async points(key: string): Promise<LoadedPoints> {
    if (!this.loaded || this.loadedKey !== key) throw new Error('The map points are not loaded (another dataset replaced them): open the map again.');
    return this.loaded;
  }

  private async read(key: string, datasetId: string, level: CodeLevel, ids: string[], signal: AbortSignal, onProgress?: ProgressCallback): Promise<LoadedPoints> {
    const store = await this.store();
    const n = ids.length;
    const rowOf = new Map(ids.map((id, row) => [id, row]));
    const titles = new Array<string>(n).fill('');
    const texts = ids.slice();
    const years = new Float32Array(n).fill(Number.NaN);
    const sections = new Uint8Array(n).fill(NO_SECTION);
    const rowCodes: string[][] = Array.from({ length: n }, () => []);
    const tracker = new ProgressTracker('load', 'patents', n, onProgress);
    let done = 0;
    await store.iteratePatents(datasetId, READ_BATCH, (batch: Patent[]) => {
      throwIfAborted(signal);
      for (const patent of batch) {
        const row = rowOf.get(patent.id);
        if (row === undefined) continue;
        titles[row] = patent.title;
        texts[row] = searchText(patent);
        if (Number.isFinite(patent.year)) years[row] = patent.year;
        rowCodes[row] = patent.codes;
        if (patent.codes[0]) sections[row] = sectionIndex(sectionOf(patent.codes[0]));
        done++;
      }
      tracker.report(done);
    });
    throwIfAborted(signal);
    const index = new TextIndex();
    for (let row = 0; row < n; row++) index.add(texts[row]);
    const all = encodeRows(rowCodes);
    const atLevel = encodeRows(rowCodes.map((codes) => [...new Set(codes.map((c) => codeAt(level, c)).filter((c): c is string => c !== null))]));
    tracker.finish();
    const columns: MapPointColumns = { key, count: n, years, sections, codeSuggestions: mostFrequent(atLevel, MAX_CODE_SUGGESTIONS) };
    return { key, ids, titles, years, all, atLevel, index, columns };
  }

  private store(): Promise<DatasetStore> {
    this.storePromise ??= DatasetStore.open(this.dbName ? { name: this.dbName } : undefined);
    return this.storePromise;
  }
}

function encodeRows(rows: readonly (readonly string[])[]): CodeRows {
  const lookup = new Map<string, number>();
  const dictionary: string[] = [];
  const starts = new Int32Array(rows.length + 1);
  let total = 0;
  rows.forEach((codes, r) => { total += codes.length; starts[r + 1] = total; });
  const codes = new Int32Array(total);
  let at = 0;
  for (const row of rows) {
    for (const code of row) {
      let id = lookup.get(code);
      if (id === undefined) {
        id = dictionary.length;
        dictionary.push(code);
        lookup.set(code, id);
      }
      codes[at++] = id;
    }
  }
  return { dictionary, starts, codes };
}

function rowsWith(rows: CodeRows, n: number, wanted: Uint8Array): MatchMask {
  const mask = new Uint8Array(n);
  let count = 0;
  for (let row = 0; row < n; row++) {
    for (let at = rows.starts[row]; at < rows.starts[row + 1]; at++) {
      if (wanted[rows.codes[at]]) {
        mask[row] = 1;
        count++;
        break;
      }
    }
  }
  return { mask, count };
}

/** Codes by the number of rows carrying them, then alphabetically. */
function mostFrequent(rows: CodeRows, limit: number): string[] {
  const counts = new Int32Array(rows.dictionary.length);
  for (const code of rows.codes) counts[code]++;
  return rows.dictionary.map((code, i) => [code, counts[i]] as const)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([code]) => code);
}

/** Fresh copies of the kept columns, moved (not copied) out of the worker. */
function handOver(columns: MapPointColumns): MapPointColumns {
  const out = { ...columns, years: columns.years.slice(), sections: columns.sections.slice() };
  return transferring(out, [out.years, out.sections]);
}

function handOverMask(result: MatchMask): MatchMask {
  return transferring(result, [result.mask]);
}

function countOnes(mask: Uint8Array): number {
  let count = 0;
  for (const flag of mask) count += flag;
  return count;
}

/** Dataset, level and the exact row order (FNV-1a over the ids), so a new layout order reloads. */
export function pointsKey(datasetId: string, level: CodeLevel, ids: readonly string[]): string {
  let hash = FNV_OFFSET;
  for (const id of ids) hash = fnv1aString('\u001f', fnv1aString(id, hash));
  return `${datasetId}\u0000${level}\u0000${ids.length}\u0000${hash.toString(16)}`;
}
