/**
 * The app's Content-Security-Policy, in one place: the preview server's header (vite.config.ts),
 * the header a static host should send (README), and the connect-src meta tag the page writes at
 * start-up (src/clients/content-policy.ts) are all built here, so they cannot drift apart.
 *
 * Why each directive:
 * - script-src 'self' 'wasm-unsafe-eval': only the app's own bundles run; ONNX Runtime and web-llm
 *   compile WebAssembly, which CSP counts as eval unless 'wasm-unsafe-eval' is given.
 * - worker-src 'self': the app's workers, ONNX Runtime's thread workers and the service worker
 *   (sw.js, which lets the app start offline) are its own files.
 * - manifest-src 'self': the web app manifest that makes the app installable. default-src would
 *   allow it too; it is named so a later narrowing of default-src cannot silently break installing.
 * - style-src 'self' 'unsafe-inline': Lit's component styles are constructable stylesheets (not
 *   governed by style-src), but the theme installs a <style> element, Observable Plot writes a
 *   <style> into each chart and templates bind `style=` for bar widths and card positions. Styles
 *   cannot run code, and img-src/font-src keep CSS from loading anything off-site.
 * - connect-src 'self' + model hosts: the only network a page of patents needs is the model
 *   files. Private mode narrows it to 'self'.
 */

/**
 * Hosts a hub or web-llm model is fetched from. huggingface.co redirects file downloads to its
 * CDNs (cdn-lfs*.huggingface.co, cdn-lfs*.hf.co, cas-bridge.xethub.hf.co), and CSP checks every
 * redirect hop; web-llm's prebuilt model libraries (wasm) come from raw.githubusercontent.com
 * (prebuiltAppConfig in @mlc-ai/web-llm).
 */
export const MODEL_HOSTS: readonly string[] = [
  'https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co', 'https://raw.githubusercontent.com',
];

/** Everything except connect-src, which depends on the configured model hosts. */
const FIXED_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self' data:"],
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'none'"],
];

/** Only honoured in a header (a meta tag cannot say who may frame the page). */
const HEADER_ONLY_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [['frame-ancestors', "'none'"]];

/** connect-src sources for the given hosts: 'self' first, duplicates dropped. */
export function connectSources(hosts: readonly string[]): string {
  return ["'self'", ...new Set(hosts)].join(' ');
}

/** The whole policy, as a response header sends it. */
export function headerPolicy(connectHosts: readonly string[] = MODEL_HOSTS): string {
  return [...FIXED_DIRECTIVES, ['connect-src', connectSources(connectHosts)], ...HEADER_ONLY_DIRECTIVES]
    .map(([name, value]) => `${name} ${value}`).join('; ');
}

/**
 * The policy the page adds to itself at start-up. Policies intersect, so this can only narrow
 * what the header allows: connect-src to the hosts configured now (or 'self' alone in private
 * mode), and the fixed directives again for a static host that sends no header.
 */
export function metaPolicy(connectHosts: readonly string[]): string {
  return [...FIXED_DIRECTIVES, ['connect-src', connectSources(connectHosts)]]
    .map(([name, value]) => `${name} ${value}`).join('; ');
}

/** The origin a configured hub host is reached at, or null when it is not an http(s) URL. */
export function hostOrigin(host: string): string | null {
  try {
    const url = new URL(host);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** The connect-src hosts for a page: none in private mode, else the model hosts and the configured hub. */
export function pageConnectHosts(options: { privateMode: boolean; hubHost?: string | null }): string[] {
  if (options.privateMode) return [];
  const hub = options.hubHost ? hostOrigin(options.hubHost) : null;
  return hub ? [...MODEL_HOSTS, hub] : [...MODEL_HOSTS];
}

/** Said wherever private mode refuses something, so the user knows why and what to do. */
export function privateModeRefusal(what: string, origin: string): string {
  return `Private mode is on: ${what} would be fetched from ${origin}, and private mode allows no remote host. `
    + 'Turn private mode off in Models, or use a bundled model or a folder on this computer.';
}
