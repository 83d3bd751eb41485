import { LitElement, css, html } from 'lit';
import { baseStyles, controlStyles, panelStyles } from '../theme/styles';
import { icon } from './icons';

const WELCOMED_KEY = 'ps-welcomed';

/** True until the visitor has dismissed the welcome once on this browser. */
export function isFirstVisit(): boolean {
  return globalThis.localStorage?.getItem(WELCOMED_KEY) !== 'yes';
}

interface Card { icon: string; title: string; text: string; links: [href: string, label: string][] }

const CARDS: Card[] = [
  {
    icon: 'space', title: 'Map technologies',
    text: 'A small transformer embeds every patent on your GPU (or CPU); technology codes become points on a map and in a 3D space that moves through the years.',
    links: [['#/map', 'Patent map'], ['#/space', 'Technology space']],
  },
  {
    icon: 'forecast', title: 'Forecast combinations',
    text: 'Which codes never seen together will be combined next, each method scored by ROC AUC against network baselines on the dataset’s own past.',
    links: [['#/forecast', 'Forecast']],
  },
  {
    icon: 'dashboard', title: 'Link to pollution abatement',
    text: 'Match patents to the EU’s BREF techniques, the pollutants they abate and the UN SDGs they touch, and ask questions answered from this data only.',
    links: [['#/dashboard', 'Pollution dashboard'], ['#/chat', 'Chat']],
  },
];

/**
 * The first-visit welcome, above Explore: what the app does, in three cards that open their views,
 * and the demo corpus it has started on (its progress comes from the shell's analysis). Dismissed
 * once, it stays away on this browser. Not a modal: the app is usable around it.
 * @fires welcome-dismiss - the visitor closed it (remembered already)
 */
export class PsWelcome extends LitElement {
  static override properties = { demoStatus: { attribute: false } };
  /** One line on the demo corpus: loading (with its step) or ready. */
  declare demoStatus: string;

  constructor() {
    super();
    this.demoStatus = '';
  }

  static override styles = [baseStyles, controlStyles, panelStyles, css`
    :host { display: block; margin: var(--ps-space-4) 0; }
    section { background: var(--ps-surface); border: 1px solid var(--ps-border); border-radius: calc(var(--ps-radius) * 2);
      padding: var(--ps-space-6); box-shadow: var(--ps-shadow); }
    h2 { font-size: var(--ps-text-xl); margin: 0 0 var(--ps-space-2); letter-spacing: -0.01em; }
    .lead { color: var(--ps-text-muted); max-width: 48rem; margin: 0 0 var(--ps-space-4); }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: var(--ps-space-4); margin: 0 0 var(--ps-space-4); padding: 0; list-style: none; }
    .card { display: flex; flex-direction: column; gap: var(--ps-space-2); background: var(--ps-bg); }
    .card h3 { display: flex; align-items: center; gap: var(--ps-space-2); margin: 0; }
    .card h3 .icon { color: var(--ps-accent); flex: none; }
    .card p { margin: 0; font-size: var(--ps-text-sm); color: var(--ps-text-muted); flex: 1; }
    .links { display: flex; gap: var(--ps-space-3); font-size: var(--ps-text-sm); font-weight: 600; }
    .actions { display: flex; gap: var(--ps-space-3); align-items: center; flex-wrap: wrap; }
    .demo { font-size: var(--ps-text-sm); color: var(--ps-text-muted); margin-right: auto; }
    a.button { display: inline-flex; align-items: center; min-height: 2rem; padding: 0 var(--ps-space-3); border: 1px solid var(--ps-border-strong);
      border-radius: var(--ps-radius); color: var(--ps-text); text-decoration: none; font-size: var(--ps-text-sm); }
    a.button:hover { background: var(--ps-surface2); }
  `];

  override render() {
    return html`<section aria-labelledby="welcome-title">
      <h2 id="welcome-title">Welcome to Patent Space</h2>
      <p class="lead">Patents become a map of technologies you can explore, forecast and link to cleaner industry.
        Everything runs in this browser: nothing you import leaves your machine.</p>
      <ul class="cards">
        ${CARDS.map((card) => html`<li class="card">
          <h3>${icon(card.icon)}${card.title}</h3>
          <p>${card.text}</p>
          <span class="links">${card.links.map(([href, label]) => html`<a href=${href} @click=${() => this.dismiss()}>${label}</a>`)}</span>
        </li>`)}
      </ul>
      <div class="actions">
        <span class="demo" id="welcome-demo" role="status">${this.demoStatus}</span>
        <a class="button" href="#/import" @click=${() => this.dismiss()}>Import your own patents</a>
        <button class="primary" id="welcome-start" @click=${() => this.dismiss()}>Explore the demo</button>
      </div>
    </section>`;
  }

  private dismiss(): void {
    globalThis.localStorage?.setItem(WELCOMED_KEY, 'yes');
    // A link's own navigation follows; "Explore the demo" stays on Explore, which the shell shows in full.
    this.dispatchEvent(new CustomEvent('welcome-dismiss', { bubbles: true, composed: true }));
  }
}

customElements.define('ps-welcome', PsWelcome);
declare global {
  interface HTMLElementTagNameMap { 'ps-welcome': PsWelcome }
}
