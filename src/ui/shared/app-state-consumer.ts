/**
 * A view's subscription to the app state <ps-app> provides (src/clients/app-state.ts). `onChange`
 * gets the new and the previous state, so a view reloads only for what it depends on.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveElement } from 'lit';
import { appStateContext, INITIAL_APP_STATE, type AppState } from '../../clients/app-state';

export class AppStateConsumer implements ReactiveController {
  value: AppState = INITIAL_APP_STATE;

  constructor(host: ReactiveElement, private readonly onChange?: (next: AppState, previous: AppState) => void) {
    host.addController(this);
    new ContextConsumer(host, {
      context: appStateContext,
      subscribe: true,
      callback: (value) => {
        const previous = this.value;
        this.value = value;
        this.onChange?.(value, previous);
      },
    });
  }

  hostConnected(): void {
    // The context consumer does the work; this controller only holds the value.
  }
}
