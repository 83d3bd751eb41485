/**
 * A matching job: every patent of a dataset against every section of a catalogue, in two stages
 * (a prefilter shortlist, then the Yes/No model on the shortlist), kept in IndexedDB so that a
 * reload resumes it. The types are shared by the store, the engine, the clients and the views.
 */

/** A catalogue section as the job sees it: what the encoder, the lexical index and the verifier read. */
export interface JobSection {
  id: string;
  title: string;
  /** The section's text when one was loaded, else its headings (so a section is never empty). */
  text: string;
  /** True when `text` is the section's own text, false when it stands in (headings). */
  hasText: boolean;
}

/** How the prefilter ranks the sections of a patent. */
export type PrefilterMethod = 'tfidf' | 'embedding' | 'fusion';

export const PREFILTER_METHODS: readonly PrefilterMethod[] = ['tfidf', 'embedding', 'fusion'];

export interface MatchJobSettings {
  /** The catalogue's id (the bundled BREF catalogue, the demo techniques, or an own catalogue). */
  catalogueId: string;
  catalogueName: string;
  /** Sections shortlisted per patent. */
  k: number;
  method: PrefilterMethod;
  /** Each section's best patents by cosine added to the shortlist (0: none). */
  sectionK: number;
  /** Run stage 2 (the Yes/No model) on the shortlist. */
  verify: boolean;
  /** The encoder the prefilter's cosines come from (when the method uses one). */
  encoderId: string | null;
  /** The Yes/No model's reference and variant. */
  matcherRef: string;
  matcherDtype: string;
}

export type MatchJobStatus =
  /** Shortlist stored, the Yes/No model has pairs left (also after a cancel or a reload). */
  | 'verifying'
  /** Every pair of the shortlist has its final score. */
  | 'done'
  /** Stage 2 stopped on an error that repeats (kept with the error; resumable). */
  | 'failed';

export interface MatchJobRecord {
  datasetId: string;
  id: string;
  settings: MatchJobSettings;
  status: MatchJobStatus;
  createdAt: number;
  updatedAt: number;
  patents: number;
  sections: number;
  /** Sections of the catalogue that had their own text (the rest were matched on headings). */
  sectionsWithText: number;
  pairs: number;
  chunks: number;
  /** Chunks whose pairs all have P(Yes) (or that need none). */
  verifiedChunks: number;
  /** Pairs that have a P(Yes) or a batch output. */
  verifiedPairs: number;
  /** Pairs the model could not score, with the first reason. */
  failedPairs: number;
  lastError?: string;
  /** Where the P(Yes) came from: the browser model, or an imported batch output file. */
  verifiedBy?: string;
  /** Seconds the prefilter took, per stage, for the job's summary. */
  timings: { embedSeconds: number; prefilterSeconds: number; verifySeconds: number };
  /** Device the prefilter's cosines ran on ('webgpu' or 'cpu', with the reason when not the GPU). */
  prefilterBackend?: string;
}

/**
 * One chunk of a job's shortlist: pairs in patent order, the unit a verify batch writes in one
 * transaction (together with the job's counters), so a reload loses at most the batch in flight.
 */
export interface MatchPairChunk {
  datasetId: string;
  jobId: string;
  chunk: number;
  patentIds: string[];
  sectionIds: string[];
  /** The prefilter's score of the pair (cosine, TF-IDF cosine or RRF score, per the method). */
  prefilter: Float32Array;
  /** 1-based rank of the section among the patent's shortlisted sections; 0 when added by the section side. */
  prefilterRank: Int32Array;
  /** P(Yes); NaN while not verified or where the model failed. */
  pYes: Float32Array;
  /** 1 where the prompt was cut to fit the model's context. */
  truncated: Uint8Array;
  /** 1 where verifying this pair failed (pYes stays NaN). */
  failed: Uint8Array;
}

/** One pair of a finished or running job, as views and exports read it. */
export interface MatchPair {
  patentId: string;
  sectionId: string;
  prefilter: number;
  prefilterRank: number;
  pYes: number | null;
  truncated: boolean;
  /** The ranking score: P(Yes) when verified, else the prefilter's score. */
  score: number;
}

/** The pair's final ranking score: the model's answer when it has one, else the prefilter's. */
export function finalScore(prefilter: number, pYes: number): number {
  return Number.isFinite(pYes) ? pYes : prefilter;
}
