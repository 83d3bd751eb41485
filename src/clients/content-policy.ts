import { hostOrigin, metaPolicy, pageConnectHosts, privateModeRefusal } from '../core/content-policy';

/**
 * The page's side of the Content-Security-Policy and the private-mode setting. The response
 * header cannot know the hub host a user configured (`?hub=`), so the header allows the widest
 * set and the page narrows it here, at start-up, with a meta tag: policies intersect, so a meta
 * tag written by script can only tighten, never loosen, what the header allows.
 *
 * Workers do not inherit a document's meta-tag policy (they get their own script response's
 * header), so private mode is also enforced in code: the model loader and the chat client refuse
 * remote hosts before any request (sourcePrivacy, refusePrivateWebLlm).
 */

const PRIVATE_MODE_KEY = 'ps-private-mode';

/** Private mode: no remote host at all, model hubs included. Kept in localStorage (read before any module fetches). */
export function isPrivateMode(): boolean {
  try {
    return globalThis.localStorage?.getItem(PRIVATE_MODE_KEY) === 'on';
  } catch {
    return false; // storage blocked (e.g. a sandboxed frame): the setting cannot have been turned on
  }
}

/**
 * Turning it on tightens this page at once; turning it off takes effect on the next load,
 * because a policy once in force cannot be lifted by the page.
 */
export function setPrivateMode(on: boolean): void {
  if (on) localStorage.setItem(PRIVATE_MODE_KEY, 'on');
  else localStorage.removeItem(PRIVATE_MODE_KEY);
  if (on) addPolicy(metaPolicy([]), 'private');
}

/** The hub host the page was configured with (`?hub=`), as ps-app.ts reads it. */
function configuredHubHost(): string | null {
  return new URLSearchParams(location.search).get('hub');
}

/** Writes the start-up policy: the configured model hosts, or 'self' alone in private mode. */
export function installPagePolicy(): void {
  const privateMode = isPrivateMode();
  addPolicy(metaPolicy(pageConnectHosts({ privateMode, hubHost: configuredHubHost() })), privateMode ? 'private' : 'start');
}

function addPolicy(policy: string, reason: string): void {
  if (document.head.querySelector(`meta[data-ps-policy="${reason}"]`)) return;
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = policy;
  meta.dataset.psPolicy = reason;
  // Only a meta tag in <head> is honoured, and only for what is fetched after it is inserted.
  document.head.prepend(meta);
}

/** What a worker's model loader must be told: private mode is on or not, read on the page. */
export function sourcePrivacy(): { privateMode: boolean } {
  return { privateMode: isPrivateMode() };
}

/** The refusal for a web-llm model in private mode (its files and libraries are remote). */
export function refusePrivateWebLlm(model: string): string | null {
  if (!isPrivateMode()) return null;
  return privateModeRefusal(`the web-llm model ${model}`, hostOrigin('https://huggingface.co') ?? 'huggingface.co');
}
