import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The local stack (`supadesk start`); `npm run dev` proxies the runtime config from it. */
const apiOrigin = process.env.SUPADESK_API_URL ?? 'http://127.0.0.1:54321';

/** Lazy route chunks get PascalCase names (AdminPage, AnalyticsDashboard) for the size report. */
function chunkFileNames(chunk: { name: string; isDynamicEntry: boolean }): string {
  if (!chunk.isDynamicEntry) return 'assets/[name]-[hash].js';
  const pascal = chunk.name.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase());
  return `assets/${pascal}-[hash].js`;
}

export default defineConfig({
  plugins: [react()],
  resolve: { tsconfigPaths: true },
  build: {
    outDir: 'dist',
    manifest: true,
    target: 'es2022',
    rolldownOptions: { output: { chunkFileNames } },
  },
  server: {
    proxy: { '/supadesk-config.json': apiOrigin },
  },
});
