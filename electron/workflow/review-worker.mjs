// Starts the review thread from the sources (tests, `npm run cli`, `npm start` before a build): tsx compiles
// review-worker.ts and what it imports as they load. The built app runs the bundle build/scripts/build.mjs makes of
// review-worker.ts instead (review-worker.cjs beside main.cjs), which needs no compiler.
import { register } from 'tsx/esm/api';

register();
await import('./review-worker.ts');
