import { LitElement, css, html } from 'lit';
import { isAbortError } from '../core/abort';
import type { Progress } from '../core/progress';
import { runSlice, type SliceResult, type SliceSettings, type SliceStep } from '../pipeline';
import './ps-neighbours-view';
import './ps-progress';

type AppState =
  | { kind: 'idle'; message: string }
  | { kind: 'running'; step: SliceStep; progress: Progress | null }
  | { kind: 'done'; result: SliceResult }
  | { kind: 'error'; message: string };

const STEP_LABELS: Record<SliceStep, string> = { load: 'load', embed: 'embed', similarity: 'similarity' };

/** Shell of the app: runs the pipeline on the bundled demo and shows backends, timings and results. */
export class PsApp extends LitElement {
  static override properties = { state: { state: true }, preferGpu: { state: true } };
  declare state: AppState;
  declare preferGpu: boolean;
  private controller: AbortController | null = null;

  constructor() {
    super();
    this.state = { kind: 'idle', message: 'Starting…' };
    this.preferGpu = new URLSearchParams(location.search).get('gpu') !== 'off';
  }

  static override styles = css`
    :host { display: block; font-family: system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem; color: #1d1d1f; }
    header { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
    h1 { margin: 0; font-size: 1.5rem; }
    #status { font-size: 0.9rem; color: #333; margin: 0.5rem 0; }
    .notice { background: #fff4d6; border: 1px solid #e0b84c; padding: 0.5rem 0.75rem; border-radius: 4px; margin: 0.5rem 0; }
    .error { background: #fde2e1; border: 1px solid #d9534f; padding: 0.5rem 0.75rem; border-radius: 4px; }
    section { margin-top: 1rem; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.run();
  }

  async run(): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const settings: SliceSettings = {
      dataUrl: 'demo/patents.jsonl', modelId: 'ps-encoder-tiny', level: 'subclass', k: 10, preferGpu: this.preferGpu,
    };
    this.state = { kind: 'running', step: 'load', progress: null };
    try {
      const result = await runSlice(
        settings,
        controller.signal,
        (progress) => { if (this.state.kind === 'running') this.state = { ...this.state, progress }; },
        (step) => { this.state = { kind: 'running', step, progress: null }; },
      );
      // A newer run replaced this one: drop the stale result.
      if (this.controller === controller) this.state = { kind: 'done', result };
    } catch (error) {
      if (this.controller !== controller) return;
      this.state = isAbortError(error)
        ? { kind: 'idle', message: 'Cancelled. Nothing was changed; press Run to start again.' }
        : { kind: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }

  override render() {
    return html`
      <header>
        <h1>Patent Space</h1>
        <label><input type="checkbox" .checked=${this.preferGpu}
          @change=${(e: Event) => { this.preferGpu = (e.target as HTMLInputElement).checked; void this.run(); }}> Use WebGPU</label>
        <button @click=${() => void this.run()} ?disabled=${this.state.kind === 'running'}>Run</button>
      </header>
      ${this.renderState()}
    `;
  }

  private renderState() {
    const state = this.state;
    switch (state.kind) {
      case 'idle':
        return html`<p id="status">${state.message}</p>`;
      case 'running':
        return html`<p id="status" data-state="running">Running: ${STEP_LABELS[state.step]}…</p>
          <ps-progress .progress=${state.progress} @cancel=${() => this.controller?.abort()}></ps-progress>`;
      case 'error':
        return html`<p id="status" data-state="error" class="error" role="alert">${state.message}</p>`;
      case 'done':
        return this.renderResult(state.result);
    }
  }

  private renderResult(result: SliceResult) {
    const similarity = result.similarity.kind === 'webgpu'
      ? `WebGPU on ${result.similarity.adapterName}${result.similarity.isFallbackAdapter ? ' (fallback adapter)' : ''}`
      : 'CPU';
    const notices = [
      ...result.encoder.fallbackReasons.map((r) => `Embeddings fell back to ${result.encoder.device.toUpperCase()}: ${r}`),
      ...(result.similarity.fallbackReason ? [`Similarity runs on the CPU: ${result.similarity.fallbackReason}`] : []),
    ];
    const timings = (Object.keys(result.timingsMs) as SliceStep[]).map((s) => `${STEP_LABELS[s]} ${Math.round(result.timingsMs[s])} ms`);
    return html`
      <p id="status" data-state="done" data-embed-device=${result.encoder.device} data-similarity-backend=${result.similarity.kind}>
        ${result.patentCount} patents · ${result.codes.length} codes ·
        embeddings: ${result.encoder.modelId} on ${result.encoder.device.toUpperCase()} (${result.encoder.dtype}) ·
        similarity: ${similarity} · ${timings.join(' · ')}
      </p>
      ${notices.length > 0 ? html`<div class="notice" id="fallback-notice" role="status">
        ${notices.map((n) => html`<div>${n} Results are the same, only slower.</div>`)}</div>` : ''}
      ${result.parseErrors.length > 0 ? html`<div class="notice">${result.parseErrors.length} rows could not be read
        (first: line ${result.parseErrors[0].line}, ${result.parseErrors[0].reason}).</div>` : ''}
      <section>
        <h2>Nearest technology codes</h2>
        <ps-neighbours-view .codes=${result.codes} .counts=${result.counts} .neighbours=${result.neighbours}></ps-neighbours-view>
      </section>
    `;
  }
}

customElements.define('ps-app', PsApp);
declare global {
  interface HTMLElementTagNameMap { 'ps-app': PsApp }
}
