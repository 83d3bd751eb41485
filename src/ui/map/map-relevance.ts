/**
 * The patent map's "relevance" colours: each point's score for one pollutant, or for one section
 * (opened from its page in the BREF explorer), in the dataset's newest matching job (the
 * dashboard's), aligned to the layout's rows. Holds the choice and the
 * values; the map view recolours when `onChange` fires.
 */
import { loadCatalogueOverview, loadSection } from '../../clients/catalogue-client';
import { patentRelevance, type RelevanceTarget } from '../../clients/dashboard-client';
import { errorMessage } from '../shared/task-controller';

export class MapRelevance {
  /** Pollutant names by catalogue index (the select's options). */
  pollutants: string[] = [];
  pollutant: number | null = null;
  /** The section chosen instead of a pollutant, with the name its legend shows. */
  section: { id: string; label: string } | null = null;
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
    this.section = null;
    await this.score(datasetId, { pollutant }, () => this.pollutant === pollutant);
  }

  /** Applies #/map?pollutant=INDEX or #/map?section=ID (the dashboard's links); true when one was asked. */
  fromHash(datasetId: string, hash: string): boolean {
    const query = new URLSearchParams(hash.split('?')[1] ?? '');
    const pollutant = query.get('pollutant');
    const section = query.get('section');
    if (pollutant !== null && Number.isInteger(Number(pollutant))) void this.loadPollutants().then(() => this.choose(datasetId, Number(pollutant)));
    else if (section) void this.chooseSection(datasetId, section);
    else return false;
    return true;
  }

  async chooseSection(datasetId: string, id: string): Promise<void> {
    this.pollutant = null;
    this.section = { id, label: id };
    // The legend names the section by its title (the id alone when the catalogue cannot say).
    const title = await loadSection(id).then((s) => s?.section.title, () => undefined);
    if (this.section?.id === id && title) this.section = { id, label: `${id.replace(':::', ' ')} ${title}` };
    await this.score(datasetId, { sectionId: id }, () => this.section?.id === id);
  }

  /** Scores the target; `current` says whether it is still the chosen one when the answer comes. */
  private async score(datasetId: string, target: RelevanceTarget, current: () => boolean): Promise<void> {
    this.aligned = null;
    try {
      const result = await patentRelevance(datasetId, target);
      if (!current()) return;
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
    const label = this.section?.label ?? (this.pollutant === null ? null : this.pollutants[this.pollutant] ?? `pollutant ${this.pollutant}`);
    if (!scores || label === null) return null;
    if (this.aligned?.ids !== ids) this.aligned = { ids, values: Float32Array.from(ids, (id) => scores.get(id) ?? Number.NaN) };
    return { scores: this.aligned.values, threshold: this.threshold, label };
  }
}
