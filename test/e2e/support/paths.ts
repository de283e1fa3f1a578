import { fileURLToPath } from 'node:url';

/** Repository root and the renderer bundle the Chromium bridge serves (built once by build.setup.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** E2E_RENDERER_OUT overrides it so two runs side by side do not empty each other's bundle. */
export const E2E_RENDERER_DIR = process.env.E2E_RENDERER_OUT ?? fileURLToPath(new URL('../../../build/out/e2e-renderer/', import.meta.url));
export const fixturePath = (rel: string): string => fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
