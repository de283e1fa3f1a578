// Types for build.mjs, so the unit tests (TypeScript, strict) can call the same functions `npm run build` runs.
export declare class BuildError extends Error {}
export declare const REPO_ROOT: string;
export declare const ENTRIES: ReadonlyArray<{ part: 'main' | 'renderer'; path: string; what: string }>;
export declare function checkEntries(root: string, parts: ReadonlyArray<'main' | 'renderer'>): void;
export declare function bundleCjs(options: { input: string; file: string; external?: string[] }): Promise<void>;
export declare function requiredModules(code: string): string[];
export declare function missingUrlAssets(assetsDir: string): string[];
export declare function buildMain(root: string, outDir: string): Promise<void>;
export declare function buildRenderer(root: string, outDir: string): Promise<void>;
export declare function buildAll(options?: { root?: string; outDir?: string; only?: 'main' | 'renderer' }): Promise<Array<'main' | 'renderer'>>;
export declare function main(argv?: string[]): Promise<number>;
