/**
 * The page's side of the map points engine: the colour columns of the layout's rows, and the
 * answers the worker gives about them (search hits, code hits, hover summaries). Answers to
 * questions that were replaced meanwhile (a newer query, another layout) are dropped.
 */
import {
  loadMapPoints, mapPointSummaries, mapPointsWithCode, searchMapPoints, type MapPatentSummary, type MapPointColumns,
} from '../../clients/map-points-client';
import type { CodeLevel } from '../../core/types';

/** Hover summaries kept on the page; the worker has them all. */
const SUMMARY_CACHE = 500;

export class MapPointsData {
  columns: MapPointColumns | null = null;
  searchHits: Uint8Array | null = null;
  /** Patents matching the search; null without a search. */
  matchCount: number | null = null;
  codeHits: Uint8Array | null = null;
  private rowsOf: readonly string[] | null = null;
  private query = '';
  private code = '';
  private readonly summaries = new Map<number, MapPatentSummary>();

  /** `changed` is called when an answer arrives: new code hits ('colours'), search hits ('states'), a hover summary ('card'). */
  constructor(private readonly changed: (what: 'colours' | 'states' | 'card') => void) {}

  get key(): string | null {
    return this.columns?.key ?? null;
  }

  /** Whether these layout rows are what is loaded (or loading). */
  has(ids: readonly string[]): boolean {
    const rows = this.rowsOf;
    if (!rows || rows.length !== ids.length) return false;
    if (rows === ids) return true;
    for (let i = 0; i < rows.length; i++) if (rows[i] !== ids[i]) return false;
    return true;
  }

  /** Loads the rows' columns, then asks the current search and code again. */
  async load(datasetId: string, level: CodeLevel, ids: readonly string[], signal: AbortSignal): Promise<void> {
    this.rowsOf = ids;
    this.columns = null;
    this.searchHits = null;
    this.codeHits = null;
    this.summaries.clear();
    try {
      const columns = await loadMapPoints(datasetId, level, [...ids], signal, () => undefined);
      if (this.rowsOf !== ids) return;
      this.columns = columns;
    } catch (error) {
      if (this.rowsOf === ids) this.rowsOf = null;
      throw error;
    }
    // Both ask again even when empty, so the view redraws colours and states for the new columns.
    await Promise.all([this.search(this.query), this.highlightCode(this.code)]);
  }

  async search(query: string): Promise<void> {
    this.query = query;
    const key = this.key;
    if (!key || query.trim() === '') {
      this.searchHits = null;
      this.matchCount = null;
    } else {
      const { mask, count } = await searchMapPoints(key, query);
      if (this.query !== query || this.key !== key) return;
      this.searchHits = mask;
      this.matchCount = mask ? count : null;
    }
    this.changed('states');
  }

  /** The layout rows the search matches (none without a search), to select them. */
  hitIndices(): number[] {
    const indices: number[] = [];
    this.searchHits?.forEach((flag, i) => { if (flag) indices.push(i); });
    return indices;
  }

  /** Rows carrying `code` (the 'code' colour mode); '' clears. */
  async highlightCode(code: string): Promise<void> {
    this.code = code;
    const key = this.key;
    if (!key || code.trim() === '') {
      this.codeHits = null;
    } else {
      const { mask } = await mapPointsWithCode(key, code);
      if (this.code !== code || this.key !== key) return;
      this.codeHits = mask;
    }
    this.changed('colours');
  }

  /** The hovered row's summary, or null while it is fetched (`changed` fires when it arrives). */
  summary(row: number): MapPatentSummary | null {
    const known = this.summaries.get(row);
    const key = this.key;
    if (known || !key) return known ?? null;
    void mapPointSummaries(key, [row]).then(([summary]) => {
      if (!summary || this.key !== key) return;
      if (this.summaries.size >= SUMMARY_CACHE) this.summaries.clear();
      this.summaries.set(row, summary);
      this.changed('card');
    });
    return null;
  }
}
