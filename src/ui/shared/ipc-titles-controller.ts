/**
 * The bundled IPC titles for a view that shows a code: read once per page (reference-client shares
 * the fetch), the view redrawn when they arrive. Without them the view still works, code only.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { loadIpcTitles } from '../../clients/reference-client';
import type { IpcTitles } from '../../core/reference/ipc-titles';

export class IpcTitlesController implements ReactiveController {
  private titles: IpcTitles | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.titles) return;
    void loadIpcTitles().then((titles) => {
      this.titles = titles;
      this.host.requestUpdate();
    }, () => undefined);
  }

  /**
   * The code's own title, as a chat item keeps it; null when the table has none for the code (an
   * ancestor's title names something broader, and the chat would state it as the code's).
   */
  own(code: string): string | null {
    const hit = this.titles?.title(code);
    return hit?.exact ? hit.title : null;
  }

  /** The title to show beside the code: its own, else the nearest ancestor's, marked as such. */
  line(code: string): TemplateResult | typeof nothing {
    const hit = this.titles?.title(code);
    if (!hit) return nothing;
    return html`<span class="code-title">${hit.title}${hit.exact ? '' : html` <span class="muted">(${hit.level.replace('_', ' ')} ${hit.code})</span>`}</span>`;
  }
}
