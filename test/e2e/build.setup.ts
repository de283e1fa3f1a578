// Builds the renderer once per run, with the project's own Vite config, into build/out/e2e-renderer (apart from
// D2's build/out/renderer so the two never race). The 'e2e' project depends on this setup project.
import { test as setup } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { E2E_RENDERER_DIR, REPO_ROOT } from './support/paths';

setup('build the renderer with renderer/vite.config.ts', async () => {
  setup.setTimeout(120_000);
  await build({
    configFile: join(REPO_ROOT, 'renderer', 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: E2E_RENDERER_DIR, emptyOutDir: true },
  });
  if (!existsSync(join(E2E_RENDERER_DIR, 'index.html'))) throw new Error(`vite build produced no index.html in ${E2E_RENDERER_DIR}`);
});
