// Types for build.mjs, so the unit tests (TypeScript, strict) can call the same functions `npm run build` runs.
export type BuildPart = 'main' | 'renderer' | 'cli';
export declare class BuildError extends Error {}
export declare const REPO_ROOT: string;
export declare const ENTRIES: ReadonlyArray<{ part: BuildPart; path: string; what: string }>;
export declare function checkEntries(root: string, parts: ReadonlyArray<BuildPart>): void;
export declare function bundleCjs(options: { input: string; file: string; external?: string[]; secp256k1Wasm?: 'embed' | 'beside'; mainFields?: string[] }): Promise<string[]>;
export declare function requiredModules(code: string): string[];
export declare function missingUrlAssets(assetsDir: string): string[];
export declare function packageOf(id: string): { name: string; dir: string } | undefined;
export declare function productionPackages(root: string): Set<string>;
export declare function buildMain(root: string, outDir: string): Promise<void>;
export declare function buildRenderer(root: string, outDir: string): Promise<void>;
export declare function buildCli(root: string, outDir: string): Promise<void>;
export declare function buildAll(options?: { root?: string; outDir?: string; only?: BuildPart }): Promise<BuildPart[]>;
export declare function main(argv?: string[]): Promise<number>;
