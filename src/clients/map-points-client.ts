import * as Comlink from 'comlink';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel } from '../core/types';
import type { MapPatentSummary, MapPointColumns, MatchMask } from '../engines/map-points-engine';
import { computeWorker } from './clients';
import { runCancellable } from './worker-client';

export type { MapPatentSummary, MapPointColumns, MatchMask } from '../engines/map-points-engine';

const points = { get: () => computeWorker.get().points };

/**
 * The patent map's per-point data, read from the store in the compute worker for the layout's
 * rows: years and sections come back for colouring; text, titles and codes stay in the worker
 * and are asked for (search, hover, export, selection) with the returned key.
 */
export function loadMapPoints(
  datasetId: string, level: CodeLevel, ids: string[], signal: AbortSignal, onProgress: ProgressCallback,
): Promise<MapPointColumns> {
  const engine = points.get();
  return runCancellable(engine, signal, (taskId) => engine.load(datasetId, level, ids, { taskId }, Comlink.proxy(onProgress)));
}

export function searchMapPoints(key: string, query: string): Promise<{ mask: Uint8Array | null; count: number }> {
  return points.get().search(key, query);
}

export function mapPointsWithCode(key: string, code: string): Promise<MatchMask> {
  return points.get().withCode(key, code);
}

export function mapPointsWithLevelCodes(key: string, codes: string[]): Promise<MatchMask> {
  return points.get().withLevelCodes(key, codes);
}

export function levelCodesOfMapPoints(key: string, mask: Uint8Array): Promise<string[]> {
  return points.get().levelCodesOf(key, mask);
}

export function mapPointSummaries(key: string, rows: number[]): Promise<MapPatentSummary[]> {
  return points.get().summaries(key, rows);
}
