import { defineConfig } from 'vite';

// COOP/COEP make the page cross-origin isolated so ONNX Runtime may use wasm threads.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, headers: isolationHeaders },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false, headers: isolationHeaders },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
