/**
 * A server's batch output merged into a job's chunks: the P(Yes) of every pair it answered,
 * wherever that pair sits in the shortlist. Pure, so the store writes the result in one transaction.
 */
import { customIdOf, type BatchOutput } from '../batch/openai-batch';
import type { MatchPairChunk } from './types';

export interface BatchMergeReport {
  /** Output lines that answered a pair of the job. */
  matched: number;
  /** Output lines for pairs the job does not have (another shortlist's file?). */
  unknown: number;
  /** Pairs of the job the output answered without a usable P(Yes), with the first reason. */
  failed: number;
  failedReason?: string;
  /** Output lines that could not be read, with their line numbers (the first few). */
  lineErrors: { line: number; reason: string }[];
  lineErrorCount: number;
  /** Pairs of the job still without P(Yes) after the merge. */
  stillMissing: number;
}

const LISTED_ERRORS = 20;

/** Writes the output's answers into `chunks` (in place) and says what it did. */
export function mergeBatchOutput(chunks: MatchPairChunk[], output: BatchOutput): BatchMergeReport {
  const where = new Map<string, [number, number]>();
  chunks.forEach((chunk, c) => chunk.patentIds.forEach((patent, i) => where.set(customIdOf({ patent, section: chunk.sectionIds[i] }), [c, i])));
  const report: BatchMergeReport = {
    matched: 0, unknown: 0, failed: 0, lineErrors: output.errors.slice(0, LISTED_ERRORS), lineErrorCount: output.errors.length, stillMissing: 0,
  };
  for (const result of output.results) {
    const at = where.get(customIdOf(result.pair));
    if (!at) { report.unknown++; continue; }
    report.matched++;
    const chunk = chunks[at[0]];
    if (result.pYes === null) {
      report.failed++;
      report.failedReason ??= result.reason;
      if (!Number.isFinite(chunk.pYes[at[1]])) chunk.failed[at[1]] = 1;
      continue;
    }
    chunk.pYes[at[1]] = result.pYes;
    chunk.failed[at[1]] = 0;
    chunk.truncated[at[1]] = 0; // the server's model read the whole prompt
  }
  for (const chunk of chunks) for (let i = 0; i < chunk.pYes.length; i++) if (!Number.isFinite(chunk.pYes[i])) report.stillMissing++;
  return report;
}

/** The job's counters as the chunks now stand: verified chunks are a prefix (resume starts after it). */
export function countersOf(chunks: readonly MatchPairChunk[]): { verifiedChunks: number; verifiedPairs: number; failedPairs: number } {
  let verifiedChunks = 0;
  let verifiedPairs = 0;
  let failedPairs = 0;
  let prefix = true;
  for (const chunk of chunks) {
    let open = false;
    for (let i = 0; i < chunk.pYes.length; i++) {
      if (Number.isFinite(chunk.pYes[i])) verifiedPairs++;
      else if (chunk.failed[i] === 1) failedPairs++;
      else open = true;
    }
    if (open) prefix = false;
    if (prefix) verifiedChunks++;
  }
  return { verifiedChunks, verifiedPairs, failedPairs };
}
