/** Shared fixtures for the store tests: a fresh in-memory IndexedDB per test and generated patents. */
import { IDBFactory } from 'fake-indexeddb';
import { vi } from 'vitest';
import type { ImportReport } from '../../src/core/ingest/report';
import type { Patent } from '../../src/core/types';

/** Gives the test its own empty IndexedDB (idb reads the global `indexedDB` on every open). */
export function useFreshIndexedDb(): void {
  vi.stubGlobal('indexedDB', new IDBFactory());
}

/** Patents p00000, p00001, … with two codes each; ids sort in creation order. */
export function makePatents(count: number, idPrefix = 'p'): Patent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${idPrefix}${String(i).padStart(5, '0')}`,
    year: 2000 + (i % 20),
    title: `Patent ${i}`,
    ...(i % 2 === 0 ? { abstract: `Abstract ${i}` } : {}),
    codes: [`H04L`, `G06F ${i % 7}/00`],
  }));
}

export function makeReport(patentsImported: number): ImportReport {
  return {
    files: [{ name: 'patents.csv', bytes: 1234, format: 'csv' }],
    fileErrors: [],
    bytes: 1234,
    rowsRead: patentsImported,
    patentsImported,
    duplicatesMerged: 0,
    rowErrors: [],
    rowErrorCount: 0,
    rejectedCodes: [],
    rejectedCodeCount: 0,
    patentsPerYear: { 2000: patentsImported },
    codesPerLevel: { subclass: 1, main_group: 1, subgroup: 1 },
    durationMs: 5,
  };
}

/** Counts how many patents of `patents` carry each code. */
export function countCodes(patents: Patent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const patent of patents) for (const code of patent.codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  return counts;
}
