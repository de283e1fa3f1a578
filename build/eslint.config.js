// Lint enforces the process boundaries of ../ARCHITECTURE (see README "Layout"):
// - no network module anywhere, in any process;
// - only electron/main.ts and electron/preload.ts may import `electron`;
// - the renderer imports neither main-side code nor Node built-ins, and has no fetch/XHR/WebSocket;
// - shared/ imports nothing from either side.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NETWORK_MODULES = ['http', 'https', 'http2', 'net', 'tls', 'dns', 'dgram', 'undici', 'node-fetch', 'axios', 'ws'];
const network = NETWORK_MODULES.flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]).map((name) => ({
  name,
  message: 'The signer never touches a network: network modules are forbidden everywhere.',
}));
// Regexes, not gitignore-style groups: a group like "electron" would also match relative paths such as
// "../electron/keystore/envelope" (any path segment), which must stay importable from tests.
const networkPatterns = NETWORK_MODULES.map((m) => ({
  regex: `^(node:)?${m}(/.*)?$`,
  message: 'The signer never touches a network: network modules are forbidden everywhere.',
}));
const electronImport = {
  regex: '^electron(/.*)?$',
  message: 'Only electron/main.ts and electron/preload.ts may import electron; keep the core pure.',
};
const NODE_BUILTINS = ['fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'stream', 'buffer', 'util', 'process', 'readline', 'url', 'vm', 'module', 'cluster', 'zlib', 'events'];
const nodeBuiltins = {
  regex: `^(node:)?(${NODE_BUILTINS.join('|')})(/.*)?$`,
  message: 'Renderer and shared code run in a sandboxed page: no Node built-ins.',
};
const electronMemberNet = {
  selector: "MemberExpression[object.name='electron'][property.name='net']",
  message: 'electron.net is a network module and is forbidden.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'build/out/', 'dist/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: network, patterns: [...networkPatterns, electronImport] }],
      'no-restricted-syntax': ['error', electronMemberNet],
      'no-console': 'off',
    },
  },
  {
    // The shell: the only files allowed to import electron.
    files: ['electron/main.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: network, patterns: networkPatterns }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: network,
          patterns: [
            ...networkPatterns,
            electronImport,
            nodeBuiltins,
            { group: ['**/electron/**', '../electron', '../../electron'], message: 'The renderer cannot import main-process code; use window.signer through renderer/api.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'No network from the renderer.' },
        { name: 'XMLHttpRequest', message: 'No network from the renderer.' },
        { name: 'WebSocket', message: 'No network from the renderer.' },
        { name: 'EventSource', message: 'No network from the renderer.' },
        { name: 'require', message: 'The renderer is sandboxed: no require.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'fetch', message: 'No network from the renderer.' },
        { object: 'navigator', property: 'sendBeacon', message: 'No network from the renderer.' },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: network,
          patterns: [
            ...networkPatterns,
            electronImport,
            nodeBuiltins,
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ is imported by both sides and imports from neither.' },
          ],
        },
      ],
    },
  },
);
