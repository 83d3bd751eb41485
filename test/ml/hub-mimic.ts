import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

export interface HubMimic {
  host: string;
  /** Every request: method, path and Range header. */
  requests: { path: string; range: string | undefined }[];
  /** Cut the next response of this file after so many bytes (once). */
  dropNext(file: string, afterBytes: number): void;
  /** Serve different bytes for this file from now on. */
  corrupt(file: string): void;
  /** Answer missing files with an HTML page and 200, as static hosts with an SPA fallback do. */
  htmlFallback(on: boolean): void;
  close(): Promise<void>;
}

/**
 * A local server with the Hugging Face hub's file layout, `/{owner}/{name}/resolve/{revision}/{file}`,
 * serving folders under `models/`. It answers Range requests (206) so resumed downloads can be
 * tested, and can drop a connection part-way or serve corrupted bytes. No test reaches the internet.
 */
export async function startHubMimic(repos: Record<string, string>): Promise<HubMimic> {
  const requests: HubMimic['requests'] = [];
  const drops = new Map<string, number>();
  const corrupted = new Set<string>();
  let fallbackPage = false;
  const server: Server = createServer((request, response) => {
    // The app fetches from another origin (another port), as it would from the real hub.
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', 'range');
    response.setHeader('access-control-expose-headers', 'content-length, content-range');
    response.setHeader('cross-origin-resource-policy', 'cross-origin');
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://local');
    const range = request.headers.range;
    requests.push({ path: url.pathname, range });
    const match = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(url.pathname);
    const folder = match ? repos[match[1]] : undefined;
    const path = folder && match ? resolve(join(folder, match[2])) : '';
    if (!folder || !match || !path.startsWith(resolve(folder)) || !existsSync(path) || statSync(path).isDirectory()) {
      if (fallbackPage) response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>app</title>');
      else response.writeHead(404).end('Entry not found');
      return;
    }
    let body = readFileSync(path);
    if (corrupted.has(match[2])) body = Buffer.concat([body.subarray(0, body.length - 1), Buffer.from([body[body.length - 1] ^ 0xff])]);
    const start = range ? Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0) : 0;
    const slice = body.subarray(start);
    response.writeHead(range ? 206 : 200, {
      'content-length': String(slice.length),
      'content-type': 'application/octet-stream',
      ...(range ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    const dropAfter = drops.get(match[2]);
    if (dropAfter !== undefined) {
      drops.delete(match[2]);
      response.write(slice.subarray(0, dropAfter), () => response.destroy());
      return;
    }
    response.end(slice);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    host: `http://127.0.0.1:${port}`,
    requests,
    dropNext: (file, afterBytes) => drops.set(file, afterBytes),
    corrupt: (file) => corrupted.add(file),
    htmlFallback: (on) => { fallbackPage = on; },
    close: () => new Promise((done) => server.close(() => done())),
  };
}
