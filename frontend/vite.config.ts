import { defineConfig } from 'vite';

// Everything is bundled: the workbench makes no external network requests.
// `npm run dev` / `npx vite preview` proxy the API to a running `replica serve` (REPLICA_URL, default :8080).
const backend = process.env.REPLICA_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': backend, '/q': backend } },
  preview: { proxy: { '/api': backend, '/q': backend } },
  test: { environment: 'node' },
});
