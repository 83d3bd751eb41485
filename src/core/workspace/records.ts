/**
 * What each kind of record line must hold before it is written to the store: the fields the
 * store's keys and readers rely on. A record missing one would be stored and break a view later,
 * far from the line that caused it, so it is refused here with the line's number instead.
 */
import type { RecordKind } from './format';

type Check = (value: Record<string, unknown>) => string | null;

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const need = (value: Record<string, unknown>, field: string, test: (v: unknown) => boolean, what: string): string | null =>
  test(value[field]) ? null : `has no ${what} "${field}"`;

const CHECKS: Record<RecordKind, Check> = {
  patent: (v) => need(v, 'id', isString, 'text')
    ?? need(v, 'year', (y) => typeof y === 'number', 'number')
    ?? need(v, 'title', isString, 'text')
    ?? need(v, 'codes', (c) => Array.isArray(c) && c.every(isString), 'list of codes'),
  code: (v) => need(v, 'code', isString, 'text') ?? need(v, 'patents', isCount, 'count'),
  embedding: (v) => {
    const problem = need(v, 'modelId', isString, 'text') ?? need(v, 'chunk', isCount, 'count')
      ?? need(v, 'dim', (d) => isCount(d) && (d as number) > 0, 'positive count')
      ?? need(v, 'ids', (ids) => Array.isArray(ids) && ids.every(isString), 'list of ids')
      ?? need(v, 'vectors', (x) => x instanceof Float32Array, 'Float32Array');
    if (problem) return problem;
    const rows = (v.ids as string[]).length;
    const floats = (v.vectors as Float32Array).length;
    return floats === rows * (v.dim as number) ? null : `has ${floats} floats for ${rows} ids of dim ${String(v.dim)}`;
  },
  result: (v) => need(v, 'id', isString, 'text') ?? need(v, 'kind', isString, 'text'),
  matchJob: (v) => need(v, 'id', isString, 'text'),
  matchJobInput: (v) => need(v, 'jobId', isString, 'text') ?? need(v, 'sections', Array.isArray, 'list'),
  matchJobChunk: (v) => need(v, 'jobId', isString, 'text') ?? need(v, 'chunk', isCount, 'count'),
  conversation: (v) => need(v, 'id', isString, 'text'),
  setting: (v) => need(v, 'key', isString, 'text') ?? ('value' in v ? null : 'has no "value"'),
};

/** Why `value` cannot be a record of `kind`, or null when it can. */
export function checkRecord(kind: RecordKind, value: Record<string, unknown>): string | null {
  if ('datasetId' in value) return 'carries a dataset id (records of a dataset file must not)';
  return CHECKS[kind](value);
}
