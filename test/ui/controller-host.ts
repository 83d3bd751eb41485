/** A stand-in for a Lit element, enough for a ReactiveController under test in Node. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export function controllerHost(): ReactiveControllerHost & { controllers: ReactiveController[] } {
  const h = {
    controllers: [] as ReactiveController[],
    addController(c: ReactiveController) { h.controllers.push(c); },
    removeController() {},
    requestUpdate() {},
    get updateComplete() { return Promise.resolve(true); },
  };
  return h;
}
