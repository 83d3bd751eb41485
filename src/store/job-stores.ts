/**
 * The two stores an engine over matching jobs reads (the jobs and the dataset's patents), opened
 * once on first use and closed together; a failed open is not kept, so the next call retries.
 */
import { DatasetStore } from './dataset-store';
import { MatchJobStore } from './match-job-store';

export interface JobStores {
  jobs: MatchJobStore;
  datasets: DatasetStore;
}

export class LazyJobStores {
  private opening: Promise<JobStores> | null = null;

  constructor(private readonly dbName?: string) {}

  get(): Promise<JobStores> {
    if (!this.opening) {
      const name = this.dbName;
      const opening = Promise.all([MatchJobStore.open(name ? { name } : {}), DatasetStore.open(name ? { name } : undefined)])
        .then(([jobs, datasets]) => ({ jobs, datasets }));
      opening.catch(() => { if (this.opening === opening) this.opening = null; });
      this.opening = opening;
    }
    return this.opening;
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = null;
    const stores = await opening?.catch(() => null);
    stores?.jobs.close();
    stores?.datasets.close();
  }
}
