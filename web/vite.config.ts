import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Static assets served by `nospy serve` at `/`: relative URLs, nothing fetched from elsewhere.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0 },
  logLevel: 'warn',
});
