import type { CandidatePairs } from './candidates';
import type { MethodReport } from './forecast';
import { insertSorted } from '../prefilter/cross-topk';

/**
 * Which method ranked a code's future partners and how well it did: the backtest on the data's
 * own last years that chose it, or the fallback and why there was no backtest.
 */
export interface PartnerBasis {
  method: string;
  kind: MethodReport['kind'];
  /** The method's AUC on the backtest; null in the fallback (no backtest). */
  auc: number | null;
  /** The backtest's windows (its scoring window ends at the data's last year); null in the fallback. */
  backtest: { learn: string; embed: string; score: string } | null;
  /** Pairs and positives of the backtest (null in the fallback). */
  backtestPairs: { pairs: number; positives: number } | null;
  /** Every method the backtest compared (random included as the reference), best first. */
  compared: { method: string; kind: MethodReport['kind']; auc: number }[];
  /** Years whose patents give the candidate codes and the code vectors; the graph reads every year up to their end. */
  codeYears: string;
  /** The hybrid only: years the refitted model read (the backtest's windows). */
  hybridYears: { first: number; last: number } | null;
  /** Why the fallback ranked the list instead of a backtest's best; null when a backtest chose. */
  fallback: string | null;
  /** Methods that could not compete, and why. */
  leftOut: { method: string; reason: string }[];
  /** Never-combined pairs the method scored. */
  candidates: number;
}

/**
 * Each code's best-scoring never-combined partners (at most `perCode`), computed once for a
 * dataset so a click only looks its code up. CSR: code i's partners are
 * partners[offsets[i] .. offsets[i+1]), best first, with their scores.
 */
export interface PartnerTable {
  basis: PartnerBasis;
  /** Codes of the data at the level, ascending (the forecast's code ids). */
  codes: string[];
  /** 1 for codes with a patent in basis.codeYears (only they have candidates). */
  active: Uint8Array;
  offsets: Uint32Array;
  partners: Uint32Array;
  scores: Float32Array;
}

export interface CodePartners {
  partners: { code: string; score: number }[];
  /** Why the list is empty (null when it is not). */
  empty: string | null;
}

/**
 * The `perCode` highest-scoring candidates of every code. Equal scores keep the lower partner id
 * first: candidates ascend by (first, second), so each code meets its partners in ascending order
 * and an insertion that needs a strictly higher score keeps the earlier one.
 */
export function partnerTable(
  basis: PartnerBasis, codes: string[], active: Uint8Array, candidates: CandidatePairs, scores: Float32Array, perCode: number,
): PartnerTable {
  const n = codes.length;
  const best = new Int32Array(n * perCode);
  const bestScore = new Float32Array(n * perCode);
  const size = new Uint32Array(n);
  const insert = (code: number, partner: number, score: number) => {
    const base = code * perCode;
    const count = size[code];
    if (count === perCode && !(score > bestScore[base + count - 1])) return;
    size[code] = insertSorted(bestScore, best, base, perCode, count, score, partner);
  };
  for (let c = 0; c < candidates.length; c++) {
    const i = candidates.first[c];
    const j = candidates.second[c];
    insert(i, j, scores[c]);
    insert(j, i, scores[c]);
  }
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + size[i];
  const partners = new Uint32Array(offsets[n]);
  const kept = new Float32Array(offsets[n]);
  for (let i = 0; i < n; i++) {
    partners.set(best.subarray(i * perCode, i * perCode + size[i]), offsets[i]);
    kept.set(bestScore.subarray(i * perCode, i * perCode + size[i]), offsets[i]);
  }
  return { basis, codes, active, offsets, partners, scores: kept };
}

/** A code's ranked partners, or why it has none. */
export function partnersOf(table: PartnerTable, code: string): CodePartners {
  const id = table.codes.indexOf(code);
  const years = table.basis.codeYears;
  if (id < 0) return { partners: [], empty: `${code} has no patent with a code at this level, so nothing was forecast for it.` };
  if (!table.active[id]) return { partners: [], empty: `${code} has no patent in ${years}, the years the forecast reads its codes from, so nothing was forecast for it.` };
  const partners: CodePartners['partners'] = [];
  for (let k = table.offsets[id]; k < table.offsets[id + 1]; k++) partners.push({ code: table.codes[table.partners[k]], score: table.scores[k] });
  return { partners, empty: partners.length ? null : `${code} has already been combined with every code that has patents in ${years}.` };
}
