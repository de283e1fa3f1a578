// Builds the real app (npm run build's own code: renderer, main.cjs, preload.cjs into build/out) once before the
// 'electron' project, and only when an Electron binary is here to run it; without one the specs skip anyway.
import { test as setup } from '@playwright/test';
import { buildAll } from '../../build/scripts/build.mjs';
import { findElectronBinary, SKIP_REASON } from './support/electron';

setup('build the app for the real-Electron specs', async () => {
  setup.skip(findElectronBinary() === null, SKIP_REASON);
  setup.setTimeout(180_000);
  await buildAll();
});
