// Lint enforces the process boundaries of ../ARCHITECTURE (see README "Layout"):
// - no network module anywhere, in any process;
// - only electron/main.ts and electron/preload.ts may import `electron`;
// - the renderer imports neither main-side code nor Node built-ins, and has no fetch/XHR/WebSocket;
// - shared/ imports nothing from either side;
// - inside electron/, each room imports only the rooms below it (ROOM_IMPORTS), so a request flows one way:
//   intake -> review -> approval -> signing, and nothing imports workflow, ipc or cli but their callers.
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

// The rooms of electron/ and what each may import (besides shared/ and packages). The order is the direction a
// request flows in; a room that needs something from a room not listed here is in the wrong place.
const ROOM_IMPORTS = {
  util: [],
  crypto: ['util'],
  // Curve work on other threads (worker_threads): public derivations and signatures, no knowledge of wallets.
  parallel: ['util', 'crypto'],
  wallet: ['parallel', 'util', 'crypto'],
  intake: ['wallet', 'parallel', 'util', 'crypto'],
  keystore: ['wallet', 'parallel', 'util', 'crypto'],
  registry: ['wallet', 'util', 'crypto'],
  // The review thread (workflow/review-thread.ts) runs review/off-thread.ts and signing/on-thread.ts: it lives in
  // workflow, the room that may import both.
  review: ['intake', 'wallet', 'util', 'crypto'],
  approval: ['review', 'intake', 'wallet', 'util', 'crypto'],
  signing: ['approval', 'intake', 'wallet', 'keystore', 'parallel', 'util', 'crypto'],
  files: ['util'],
  output: ['util'],
  demo: ['keystore', 'registry'],
  // The key ceremony: makes keys and writes key files, KeyCards and registry entries; it never reads requests.
  ceremony: ['keystore', 'registry', 'output', 'util', 'crypto'],
  // Signed receipts: the receipt key (a key file entry in a keystore envelope) and the claims of what was signed.
  receipts: ['keystore', 'registry', 'review', 'util', 'crypto'],
  workflow: ['receipts', 'ceremony', 'files', 'output', 'approval', 'review', 'intake', 'signing', 'keystore', 'registry', 'wallet', 'parallel', 'util', 'crypto'],
  cli: ['receipts', 'ceremony', 'files', 'output', 'approval', 'review', 'intake', 'signing', 'keystore', 'registry', 'wallet', 'parallel', 'util', 'crypto'],
  ipc: ['workflow', 'ceremony', 'demo', 'files', 'keystore', 'registry', 'util'],
};
// The shell's own files (electron/*.ts) are imported by the shell only.
const SHELL_FILES = ['main', 'preload', 'security', 'fatal', 'airgap', 'log'];
const roomRules = Object.entries(ROOM_IMPORTS).map(([room, allowed]) => {
  const forbidden = Object.keys(ROOM_IMPORTS).filter((r) => r !== room && !allowed.includes(r));
  return {
    files: [`electron/${room}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: network,
          patterns: [
            ...networkPatterns,
            electronImport,
            {
              regex: `^\\.\\./(${forbidden.join('|')})(/|$)`,
              message: `electron/${room}/ may import only ${allowed.length ? allowed.join(', ') : 'nothing of electron/'} (build/eslint.config.js ROOM_IMPORTS): data flows one way.`,
            },
            { regex: `^\\.\\./(${SHELL_FILES.join('|')})$`, message: `electron/${room}/ must not import the shell's own files.` },
          ],
        },
      ],
    },
  };
});

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
    // The `offline-signer` bin is CommonJS (Node starts it faster than an ES module; see its header), so require is
    // its import statement; the network ban still holds for what it requires.
    files: ['build/bin/*.cjs'],
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-syntax': [
        'error',
        electronMemberNet,
        {
          selector: `CallExpression[callee.name='require'][arguments.0.value=/^(node:)?(${NETWORK_MODULES.join('|')})(\\/|$)/]`,
          message: 'The signer never touches a network: network modules are forbidden everywhere.',
        },
      ],
    },
  },
  {
    // The shell: the only files allowed to import electron.
    files: ['electron/main.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: network, patterns: networkPatterns }],
    },
  },
  ...roomRules,
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
