import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headerPolicy, hostOrigin, metaPolicy, MODEL_HOSTS, pageConnectHosts } from '../../src/core/content-policy';

function directive(policy: string, name: string): string | undefined {
  return policy.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `))?.slice(name.length + 1);
}

describe('content security policy', () => {
  it('lets scripts and workers come from the app only, with WebAssembly compilation allowed', () => {
    const policy = headerPolicy();
    expect(directive(policy, 'script-src')).toBe("'self' 'wasm-unsafe-eval'");
    expect(directive(policy, 'worker-src')).toBe("'self'");
    expect(directive(policy, 'object-src')).toBe("'none'");
    expect(directive(policy, 'connect-src')?.split(' ')).toEqual(["'self'", ...MODEL_HOSTS]);
  });

  it('allows the service worker and the web app manifest from the app\'s own origin, in the header and in the meta tag', () => {
    for (const policy of [headerPolicy(), metaPolicy([])]) {
      expect(directive(policy, 'worker-src')).toBe("'self'");
      expect(directive(policy, 'manifest-src')).toBe("'self'");
      // The icons the manifest and index.html name are same-origin images.
      expect(directive(policy, 'img-src')?.split(' ')).toContain("'self'");
    }
  });

  it('the header the README tells a static host to send is the policy itself', () => {
    const line = readFileSync('README.md', 'utf8').split('\n').find((l) => l.startsWith('Content-Security-Policy: '));
    expect(line?.slice('Content-Security-Policy: '.length)).toBe(headerPolicy());
  });

  it('leaves frame-ancestors out of the meta tag, where browsers ignore it', () => {
    expect(directive(headerPolicy(), 'frame-ancestors')).toBe("'none'");
    expect(directive(metaPolicy([]), 'frame-ancestors')).toBeUndefined();
  });

  it('allows the page only its own origin in private mode, whatever hub is configured', () => {
    expect(pageConnectHosts({ privateMode: true, hubHost: 'http://127.0.0.1:9999' })).toEqual([]);
    expect(directive(metaPolicy([]), 'connect-src')).toBe("'self'");
  });

  it('adds the configured hub as an origin, and ignores a host that is not an http(s) URL', () => {
    expect(pageConnectHosts({ privateMode: false, hubHost: 'http://127.0.0.1:9999/some/path' })).toEqual([...MODEL_HOSTS, 'http://127.0.0.1:9999']);
    expect(pageConnectHosts({ privateMode: false, hubHost: "javascript:alert(1)" })).toEqual([...MODEL_HOSTS]);
    expect(hostOrigin('not a url')).toBeNull();
  });
});
