#!/usr/bin/env node
// The `offline-signer` command (package.json "bin"). The signer is TypeScript; tsx (a devDependency, present
// after `npm install` in the repository) compiles it on the fly, so the command works right after install
// without a build step. Nothing here touches a network.
import { register } from 'tsx/esm/api';

register();
const { cliMain } = await import('../../electron/cli/main.ts');
await cliMain();
