// Types for cli-bundle.cjs, for the tests and the test setup.
export declare const CLI_DIR: string;
export declare const CLI_BUNDLE: string;
export declare const CLI_WASM: string;
export declare const CLI_WORKER: string;
export declare const CLI_CURVE_WORKER: string;
export declare const CLI_INPUTS: string;
export declare const CLI_ENTRY: string;
export interface InputRecord {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}
export declare function inputRecord(root: string, path: string): InputRecord;
export type BundleState = { fresh: true; bundle: string } | { fresh: false; reason: string };
export declare function bundleState(root: string, cliDir?: string): BundleState;
