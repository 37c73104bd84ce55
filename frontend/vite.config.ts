import { defineConfig } from 'vite';

// Everything is bundled: the workbench makes no external network requests.
// `npm run dev` / `npx vite preview` proxy the API to a running `replica serve` (REPLICA_URL, default :8080).
const backend = process.env.REPLICA_URL ?? 'http://127.0.0.1:8080';

// The Host header is kept (a string target would rewrite it): the server compares a write's Origin with its Host.
function proxy() {
  const route = { target: backend, changeOrigin: false };
  return { '/api': route, '/q': route };
}

export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: proxy() },
  preview: { proxy: proxy() },
  test: { environment: 'node' },
});
