import { LitElement, css, html } from 'lit';
import { BASELINES } from '../../core/forecast/baselines';
import type { LabelRule } from '../../core/forecast/null-model';
import { FORECAST_METHOD_LABELS, FORECAST_METHODS, type ForecastMethod } from '../../core/settings/forecast';
import type { CodeLevel } from '../../core/types';
import { baseStyles, controlStyles, panelStyles } from '../theme/styles';
import { initialForm, windowInputId, type ForecastForm, type ThresholdKind, type WindowInputs } from './forecast-inputs';

const LEVELS: readonly CodeLevel[] = ['subclass', 'main_group', 'subgroup'];

/**
 * The forecast's settings: three year windows, the level, what counts as "came true", the
 * methods and baselines, and where patents are embedded. Every change is reported whole.
 * @fires form-change - detail: ForecastForm
 */
export class PsForecastForm extends LitElement {
  static override properties = { form: { attribute: false }, modelRef: { attribute: false }, preferGpu: { attribute: false } };
  declare form: ForecastForm;
  declare modelRef: string;
  declare preferGpu: boolean;

  constructor() {
    super();
    this.form = initialForm('subclass');
    this.modelRef = '';
    this.preferGpu = true;
  }

  static override styles = [baseStyles, controlStyles, panelStyles, css`:host { display: block; }`];

  private change(change: Partial<ForecastForm>): void {
    this.form = { ...this.form, ...change };
    this.dispatchEvent(new CustomEvent<ForecastForm>('form-change', { detail: this.form, bubbles: true, composed: true }));
  }

  private toggle<T>(list: readonly T[], value: T, on: boolean, order: readonly T[]): T[] {
    return order.filter((v) => (v === value ? on : list.includes(v)));
  }

  override render() {
    const f = this.form;
    const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
    const checked = (e: Event) => (e.target as HTMLInputElement).checked;
    const year = (key: keyof WindowInputs, label: string, placeholder = '') => html`
      <input id=${windowInputId(key)} type="number" step="1" aria-label=${label} placeholder=${placeholder}
        .value=${f.windows[key]} @input=${(e: Event) => this.change({ windows: { ...this.form.windows, [key]: value(e) } })}>`;
    return html`
      <fieldset><legend>Windows (years, inclusive)</legend>
        <div class="row">
          <span>Learn ${year('learnFrom', 'Learning window from (empty: from the first year)', 'start')} – ${year('learnTo', 'Learning window to')}</span>
          <span>Embed ${year('embedFrom', 'Embedding window from')} – ${year('embedTo', 'Embedding window to')}</span>
          <span>Score ${year('scoreFrom', 'Scoring window from')} – ${year('scoreTo', 'Scoring window to')}</span>
        </div>
      </fieldset>
      <fieldset><legend>Codes and labels</legend>
        <div class="row">
          <label>Level <select id="fc-level" @change=${(e: Event) => this.change({ level: value(e) as CodeLevel })}>
            ${LEVELS.map((l) => html`<option value=${l} ?selected=${l === f.level}>${l.replace('_', ' ')}</option>`)}
          </select></label>
          <label>A pair came true when it is <select id="fc-label" @change=${(e: Event) => this.change({ labelMode: value(e) as LabelRule['mode'] })}>
            <option value="above-null" ?selected=${f.labelMode === 'above-null'}>combined more often than chance (null model)</option>
            <option value="at-least-once" ?selected=${f.labelMode === 'at-least-once'}>combined at least once</option>
          </select></label>
          ${f.labelMode === 'above-null' ? html`
            <label>and <select id="fc-threshold-kind" @change=${(e: Event) => this.change({ thresholdKind: value(e) as ThresholdKind })}>
              <option value="none" ?selected=${f.thresholdKind === 'none'}>no threshold</option>
              <option value="z" ?selected=${f.thresholdKind === 'z'}>z ≥</option>
              <option value="p" ?selected=${f.thresholdKind === 'p'}>p ≤</option>
            </select></label>
            ${f.thresholdKind === 'none' ? '' : html`<input id="fc-threshold" type="number" step="any" aria-label="${f.thresholdKind} threshold"
              .value=${f.thresholdValue} @input=${(e: Event) => this.change({ thresholdValue: value(e) })}>`}` : ''}
        </div>
      </fieldset>
      <fieldset><legend>Methods</legend>
        <div class="row">
          ${FORECAST_METHODS.map((m: ForecastMethod) => html`<label><input type="checkbox" class="fc-method" value=${m} .checked=${f.methods.includes(m)}
            @change=${(e: Event) => this.change({ methods: this.toggle(this.form.methods, m, checked(e), FORECAST_METHODS) })}> ${FORECAST_METHOD_LABELS[m]}</label>`)}
          <span class="muted">model ${this.modelRef} (mean of patents, TechToken)</span>
        </div>
        <p class="muted" id="fc-hybrid-hint">Text TF-IDF and the hybrid need no model. The hybrid is fitted on the same windows shifted back by the
          scoring window's length (inside your data, never reading a scoring year), then applied to the windows above.</p>
        <div class="row">Baselines:
          ${BASELINES.map((b) => html`<label><input type="checkbox" class="fc-baseline" value=${b} .checked=${f.baselines.includes(b)}
            @change=${(e: Event) => this.change({ baselines: this.toggle(this.form.baselines, b, checked(e), BASELINES) })}> ${b}</label>`)}
        </div>
        <div class="row">
          <label><input type="checkbox" id="fc-encoder-wasm" .checked=${f.encoderOnWasm}
            @change=${(e: Event) => this.change({ encoderOnWasm: checked(e) })}> Embed patents on WASM</label>
          <span class="muted">Cosines on ${this.preferGpu ? 'WebGPU when available' : 'the CPU (WebGPU is off)'}${this.preferGpu && !f.encoderOnWasm ? ', embeddings on WebGPU when available' : ', embeddings on WASM'}.</span>
        </div>
      </fieldset>
    `;
  }
}

customElements.define('ps-forecast-form', PsForecastForm);
declare global {
  interface HTMLElementTagNameMap { 'ps-forecast-form': PsForecastForm }
}
