/**
 * MatchJobStore: matching jobs in the app's database (schema v4). A job is written whole (record,
 * sections, every chunk of its shortlist) in one transaction, so a reload never finds a job
 * without its pairs; each verify batch then rewrites one chunk together with the job's counters
 * in one transaction, so a reload loses at most the batch in flight and resumes after the last
 * chunk written.
 */
import type { JobSection, MatchJobRecord, MatchPairChunk } from '../core/match-job/types';
import { prefixRange } from './key-ranges';
import { openPatentSpaceDatabase } from './open-database';
import { storageQuotaError } from './quota-report';
import type { PatentSpaceStoreName } from './schema';
import { putAll, runWrite, type PatentSpaceDatabase, type WriteTransaction } from './transactions';

const JOB_STORES = ['matchJobs', 'matchJobInputs', 'matchJobChunks'] as const;

export class MatchJobGoneError extends Error {
  override readonly name = 'MatchJobGoneError';
  constructor(jobId: string) {
    super(`The matching job ${jobId} no longer exists (it or its dataset was deleted).`);
  }
}

export class MatchJobStore {
  private constructor(private readonly db: PatentSpaceDatabase) {}

  static async open(options: { name?: string } = {}): Promise<MatchJobStore> {
    return new MatchJobStore(await openPatentSpaceDatabase(options.name));
  }

  close(): void {
    this.db.close();
  }

  /** Stores a new job with its sections and its whole shortlist, all or nothing. */
  async createJob(job: MatchJobRecord, sections: JobSection[], chunks: MatchPairChunk[]): Promise<void> {
    await this.write([...JOB_STORES, 'datasets'], async (tx) => {
      // The dataset may have been deleted while the prefilter ran: no orphan job then.
      if (!(await tx.objectStore('datasets').get(job.datasetId))) throw new Error(`the dataset ${job.datasetId} no longer exists`);
      await Promise.all([
        tx.objectStore('matchJobs').add(job),
        tx.objectStore('matchJobInputs').put({ datasetId: job.datasetId, jobId: job.id, sections }),
        putAll(tx.objectStore('matchJobChunks'), chunks),
      ]);
    });
  }

  async listJobs(datasetId: string): Promise<MatchJobRecord[]> {
    const jobs = await this.db.getAll('matchJobs', prefixRange(datasetId));
    return jobs.sort((a, b) => b.createdAt - a.createdAt);
  }

  async getJob(datasetId: string, jobId: string): Promise<MatchJobRecord | undefined> {
    return this.db.get('matchJobs', [datasetId, jobId]);
  }

  async getSections(datasetId: string, jobId: string): Promise<JobSection[]> {
    const input = await this.db.get('matchJobInputs', [datasetId, jobId]);
    if (!input) throw new MatchJobGoneError(jobId);
    return input.sections;
  }

  async getChunk(datasetId: string, jobId: string, chunk: number): Promise<MatchPairChunk | undefined> {
    return this.db.get('matchJobChunks', [datasetId, jobId, chunk]);
  }

  /** Every chunk of the job in order. */
  async getChunks(datasetId: string, jobId: string): Promise<MatchPairChunk[]> {
    return this.db.getAll('matchJobChunks', prefixRange(datasetId, jobId));
  }

  /**
   * Writes scored chunks and the job's new state in one transaction. `update` gets the job as
   * stored now (another tab may have moved it on) and returns the record to store.
   */
  async saveProgress(datasetId: string, jobId: string, chunks: MatchPairChunk[], update: (job: MatchJobRecord) => MatchJobRecord): Promise<MatchJobRecord> {
    return this.write(['matchJobs', 'matchJobChunks'], async (tx) => {
      const jobs = tx.objectStore('matchJobs');
      const current = await jobs.get([datasetId, jobId]);
      if (!current) throw new MatchJobGoneError(jobId);
      const next = update(current);
      await Promise.all([jobs.put(next), putAll(tx.objectStore('matchJobChunks'), chunks)]);
      return next;
    });
  }

  async deleteJob(datasetId: string, jobId: string): Promise<void> {
    await this.write([...JOB_STORES], async (tx) => {
      await Promise.all([
        tx.objectStore('matchJobs').delete([datasetId, jobId]),
        tx.objectStore('matchJobInputs').delete([datasetId, jobId]),
        tx.objectStore('matchJobChunks').delete(prefixRange(datasetId, jobId)),
      ]);
    });
  }

  private write<Names extends PatentSpaceStoreName, T>(storeNames: Names[], body: (tx: WriteTransaction<Names>) => Promise<T>): Promise<T> {
    return runWrite(this.db, storeNames, body, (cause) => storageQuotaError(this.db, cause));
  }
}
