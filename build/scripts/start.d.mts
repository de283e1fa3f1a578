// Types for start.mjs, so the unit tests (TypeScript, strict) can call the launcher's own functions.
export declare class LaunchError extends Error {}
export interface ElectronLocation {
  source: 'override' | 'dist';
  version: string;
  path: string;
  installed: boolean;
}
export declare function platformExecutable(platform?: string): string;
export declare function locateElectron(env?: NodeJS.ProcessEnv, packageDir?: string): ElectronLocation;
export declare function installerReason(output: string): string;
export declare function installElectron(options?: { env?: NodeJS.ProcessEnv; packageDir?: string; timeoutMs?: number }): void;
export declare function resolveElectron(env?: NodeJS.ProcessEnv, packageDir?: string): string;
export declare function launch(electronPath: string, appArgs: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<number>;
export declare function main(argv?: string[], env?: NodeJS.ProcessEnv): Promise<number>;
