// Vite config for the renderer (D2's build/scripts/build.mjs runs `vite build -c renderer/vite.config.ts`; the
// Chromium test bridge builds with it too). The output must work under the CSP of shared/csp.ts: no inline
// scripts or styles, no eval, everything from the bundle itself.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

export default defineConfig({
  root: here,
  // Relative asset URLs: the bundle is served from app://signer/ (and from the test origin) as-is.
  base: './',
  plugins: [react()],
  publicDir: false,
  build: {
    outDir: `${here}/../build/out/renderer`,
    emptyOutDir: true,
    // The modulepreload polyfill is injected as code we do not need (Chromium supports modulepreload).
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs into scripts or CSS; keep each file a file under the CSP.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'chrome130',
  },
  server: { host: '127.0.0.1', strictPort: true },
});
