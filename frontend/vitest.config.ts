import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/** Dashboard unit tests (jsdom). The widget keeps its own test setup under widget/. */
export default defineConfig({
  plugins: [react()],
  resolve: { tsconfigPaths: true },
  test: {
    name: 'dashboard',
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    testTimeout: 20_000,
    unstubGlobals: true,
  },
});
