// Proves the boundary rules fire: the repository lint passing (static.spec.ts) means little unless a violation
// would fail it. Each snippet is linted as if it lived at the given path.
import { test, expect } from '@playwright/test';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd, overrideConfigFile: 'build/eslint.config.js' });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith('no-restricted')).map((m) => m.message);
}

const cases: [string, string, RegExp | null][] = [
  ['electron/signing/x.ts', "import http from 'node:http'; export const a = http;", /never touches a network/],
  ['electron/main.ts', "import { request } from 'https'; export const a = request;", /never touches a network/],
  ['electron/keystore/x.ts', "import dns from 'dns/promises'; export const a = dns;", /never touches a network/],
  ['electron/keystore/x.ts', "import { app } from 'electron'; export const a = app;", /Only electron\/main.ts/],
  ['electron/main.ts', "import { app } from 'electron'; export const a = app;", null],
  ['electron/keystore/x.ts', "import electron from 'electron'; export const a = electron.net;", /electron\.net|Only electron/],
  ['renderer/x.ts', "import { readFileSync } from 'node:fs'; export const a = readFileSync;", /no Node built-ins/],
  ['renderer/x.ts', "import { Vault } from '../electron/keystore/vault'; export const a = Vault;", /cannot import main-process code/],
  ['renderer/x.ts', "export const a = fetch('https://example.com');", /No network from the renderer/],
  ['renderer/x.ts', "export const a = new WebSocket('wss://example.com');", /No network from the renderer/],
  ['shared/x.ts', "import { join } from 'path'; export const a = join;", /no Node built-ins/],
  ['test/unit/keystore/x.ts', "import { Vault } from '../../../electron/keystore/vault'; export const a = Vault;", null],
  // Rooms of electron/ import only the rooms below them: a request flows intake -> review -> approval -> signing.
  ['electron/intake/x.ts', "import { reviewRequest } from '../review/build'; export const a = reviewRequest;", /electron\/intake\/ may import only/],
  ['electron/wallet/x.ts', "import { parseSigningRequest } from '../intake/request'; export const a = parseSigningRequest;", /electron\/wallet\/ may import only/],
  ['electron/review/x.ts', "import { approve } from '../approval/gate'; export const a = approve;", /electron\/review\/ may import only/],
  ['electron/review/x.ts', "import { signApproved } from '../signing/sign'; export const a = signApproved;", /electron\/review\/ may import only/],
  ['electron/approval/x.ts', "import { signApproved } from '../signing/sign'; export const a = signApproved;", /electron\/approval\/ may import only/],
  ['electron/approval/x.ts', "import { Vault } from '../keystore/vault'; export const a = Vault;", /electron\/approval\/ may import only/],
  ['electron/signing/x.ts', "import { RequestSession } from '../workflow/session'; export const a = RequestSession;", /electron\/signing\/ may import only/],
  ['electron/workflow/x.ts', "import { createRouter } from '../ipc/router'; export const a = createRouter;", /electron\/workflow\/ may import only/],
  ['electron/cli/x.ts', "import { RequestSession } from '../workflow/session'; export const a = RequestSession;", /electron\/cli\/ may import only/],
  ['electron/keystore/x.ts', "import { createLogger } from '../log'; export const a = createLogger;", /must not import the shell's own files/],
  ['electron/signing/x.ts', "import { approve } from '../approval/gate'; export const a = approve;", null],
  ['electron/review/x.ts', "import { parseSigningRequest } from '../intake/request'; export const a = parseSigningRequest;", null],
  ['electron/main.ts', "import { createRouter } from './ipc/router'; export const a = createRouter;", null],
  // The CommonJS bin imports with require; the network ban holds there too.
  ['build/bin/x.cjs', "const https = require('node:https'); module.exports = https;", /never touches a network/],
  ['build/bin/x.cjs', "const { join } = require('node:path'); module.exports = join;", null],
];

for (const [file, code, expected] of cases) {
  test(`${file}: ${code.slice(0, 60)} -> ${expected ? 'refused' : 'allowed'}`, async () => {
    const found = await problems(file, code);
    if (expected) expect(found.some((m) => expected.test(m)), found.join('; ')).toBe(true);
    else expect(found).toEqual([]);
  });
}
