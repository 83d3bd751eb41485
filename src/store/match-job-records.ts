import type { JobSection } from '../core/match-job/types';

/** The sections a job matches, stored with it: a resume needs neither the catalogue nor its texts. */
export interface MatchJobInputRecord {
  datasetId: string;
  jobId: string;
  sections: JobSection[];
}
