import './start-policy';
import { Workbox } from 'workbox-window';
import { startServiceWorker } from './clients/service-worker-client';
import { installTheme } from './ui/theme/tokens';
import './ui/ps-app';
import './ui/shared/ps-update-prompt';

installTheme();

// The service worker exists in builds only (vite.config.ts; a dev server's cache would hide edits).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  const prompt = document.body.appendChild(document.createElement('ps-update-prompt'));
  const client = startServiceWorker(new Workbox(new URL('sw.js', document.baseURI).href), () => location.reload());
  client.onUpdateReady(() => { prompt.open = true; });
  prompt.addEventListener('ps-update-reload', () => client.applyUpdate());
  client.registered.catch((error: unknown) => console.warn('Offline use is unavailable: the service worker did not register.', error));
}
