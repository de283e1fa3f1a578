// Types for cli-bundle.cjs, for the tests and the test setup.
export declare const CLI_DIR: string;
export declare const CLI_BUNDLE: string;
export declare const CLI_WASM: string;
export declare const CLI_WORKER: string;
export declare const CLI_CURVE_WORKER: string;
export declare const CLI_INPUTS: string;
export declare const CLI_CODE_CACHE: string;
export declare const CLI_ENTRY: string;
export interface InputRecord {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}
export declare function inputRecord(root: string, path: string): InputRecord;
export interface CodeCacheRecord {
  path: string;
  sha256: string;
  bundleSha256: string;
}
export type BundleState = { fresh: true; bundle: string; codeCache?: CodeCacheRecord } | { fresh: false; reason: string };
export declare function bundleState(root: string, cliDir?: string): BundleState;
export type CodeCacheUse = 'used' | 'rejected' | 'damaged' | 'stale' | 'off' | 'none';
export declare function loadBundle(state: Extract<BundleState, { fresh: true }>, env?: NodeJS.ProcessEnv): { exports: { cliMain(): Promise<void>; runCli(argv: string[], ctx: unknown): Promise<number> }; cache: CodeCacheUse };
