import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { headerPolicy, MODEL_HOSTS } from './src/core/content-policy';

// COOP/COEP make the page and its workers cross-origin isolated, so ONNX Runtime may use WASM
// threads (SharedArrayBuffer); src/ml/runtime.ts sets the thread count.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The Content-Security-Policy, as a header: the app's workers get their policy from their own
 * script's response (a document's meta tag does not reach them), so only a header covers them.
 * The header cannot know a `?hub=` host, so it allows the default model hosts plus, on this
 * local server only, any loopback port (a local hub or mirror; the browser tests' hub stand-in
 * listens on a random port). The page narrows connect-src at start-up to the hosts actually
 * configured (src/clients/content-policy.ts), or to 'self' in private mode. A static host sends
 * headerPolicy() without the loopback sources (README).
 */
const LOCAL_HUBS = ['http://127.0.0.1:*', 'http://localhost:*'];
const previewHeaders = { ...isolationHeaders, 'Content-Security-Policy': headerPolicy([...MODEL_HOSTS, ...LOCAL_HUBS]) };
/**
 * The dev server sends the same policy, so a change that breaks it shows while developing, not
 * first in the built app; its hot-reload socket (ws://127.0.0.1:5173) is the one addition.
 */
const devHeaders = { ...isolationHeaders, 'Content-Security-Policy': headerPolicy([...MODEL_HOSTS, ...LOCAL_HUBS, 'ws://127.0.0.1:*', 'ws://localhost:*']) };

/**
 * `vite preview` (what `npm start` and the browser tests serve) gzips every response on the fly,
 * the 27 MB ONNX Runtime wasm and the models included: ~2 s of CPU per first visit on a busy
 * 2-core machine, to save bandwidth on localhost. Binary files are sent as they are instead.
 * Registered before the compression middleware, which only runs after configurePreviewServer.
 */
function uncompressedBinaries(): Plugin {
  return {
    name: 'ps-uncompressed-binaries',
    configurePreviewServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (/\.(wasm|onnx|bin)(\?|$)/.test(req.url ?? '')) delete req.headers['accept-encoding'];
        next();
      });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [uncompressedBinaries()],
  // onnxruntime-web's default entry inlines its wasm loader and makes the bundler emit a second
  // copy of the 27 MB wasm (dist/assets/ort-wasm-*.wasm) next to the one the app serves from
  // /ort/ (scripts/copy-assets.mjs). This condition picks the entry that loads the factory and
  // the wasm from env.wasm.wasmPaths, i.e. /ort/ only; its threads start from that file too.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, headers: devHeaders },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false, headers: previewHeaders },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
