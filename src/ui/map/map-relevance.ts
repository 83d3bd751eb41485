/**
 * The patent map's "relevance" colours: each point's score for one pollutant in the dataset's
 * newest matching job (the dashboard's), aligned to the layout's rows. Holds the choice and the
 * values; the map view recolours when `onChange` fires.
 */
import { loadCatalogueOverview } from '../../clients/catalogue-client';
import { patentRelevance } from '../../clients/dashboard-client';
import { errorMessage } from '../shared/task-controller';

export class MapRelevance {
  /** Pollutant names by catalogue index (the select's options). */
  pollutants: string[] = [];
  pollutant: number | null = null;
  /** Why there are no values: no job yet, or a failure. */
  note = '';
  private scores: Map<string, number> | null = null;
  private threshold = 0.5;
  private aligned: { ids: readonly string[]; values: Float32Array } | null = null;

  constructor(private readonly onChange: () => void) {}

  async loadPollutants(): Promise<void> {
    if (this.pollutants.length > 0) return;
    try {
      this.pollutants = (await loadCatalogueOverview()).pollutants;
    } catch (error) {
      this.note = errorMessage(error);
    }
    this.onChange();
  }

  async choose(datasetId: string, pollutant: number): Promise<void> {
    this.pollutant = pollutant;
    this.aligned = null;
    try {
      const result = await patentRelevance(datasetId, { pollutant });
      if (this.pollutant !== pollutant) return;
      this.scores = result ? new Map(result.patentIds.map((id, i) => [id, result.scores[i]])) : null;
      this.threshold = result?.relevance ?? 0.5;
      this.note = result ? '' : 'No matching job for this dataset yet: run one in Match techniques → Match the whole catalogue.';
    } catch (error) {
      this.scores = null;
      this.note = errorMessage(error);
    }
    this.onChange();
  }

  /** The colour options for a layout's rows, or null before a pollutant is chosen and scored. */
  forLayout(ids: readonly string[]): { scores: Float32Array; threshold: number; label: string } | null {
    const scores = this.scores;
    if (!scores || this.pollutant === null) return null;
    if (this.aligned?.ids !== ids) this.aligned = { ids, values: Float32Array.from(ids, (id) => scores.get(id) ?? Number.NaN) };
    return { scores: this.aligned.values, threshold: this.threshold, label: this.pollutants[this.pollutant] ?? `pollutant ${this.pollutant}` };
  }
}
