import { defineConfig } from 'vite';

// Everything is bundled: the workbench makes no external network requests.
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/q': 'http://127.0.0.1:8080' } },
  test: { environment: 'node' },
});
