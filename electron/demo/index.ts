// Demo mode: BitGo's testnet test fixtures (see PROVENANCE.md), bundled with the main process and offered only
// when the app was started with --demo. The passphrases are public test values and are shown to the operator on
// purpose; they are the only "passphrases" that ever travel main -> renderer, and only in demo mode.
import type { DemoInfo } from '../../shared/contract';
import { parseKeyFile, type KeyFile } from '../keystore/keyfile';
import { parseRegistry, type Registry } from '../registry/registry';
import env from './env.json' with { type: 'json' };
import keys from './keys.json' with { type: 'json' };
import p2sh from './requests/p2sh.request.json' with { type: 'json' };
import p2shP2wsh from './requests/p2shP2wsh.request.json' with { type: 'json' };
import p2trMusig2ScriptPath from './requests/p2trMusig2ScriptPath.request.json' with { type: 'json' };
import p2wsh from './requests/p2wsh.request.json' with { type: 'json' };
import registry from './registry.json' with { type: 'json' };

export const DEMO_LABEL = 'demo';

/**
 * Whether this start is a demo: only with --demo, and never in a packaged build. An installed app runs next to
 * real keys; a screen saying "DEMO — never real funds" must not be reachable there, so a packaged build started
 * with --demo refuses to start rather than ignore the flag silently.
 */
export function demoMode(argv: readonly string[], isPackaged: boolean): 'off' | 'on' | 'refused' {
  if (!argv.includes('--demo')) return 'off';
  return isPackaged ? 'refused' : 'on';
}

/** What a packaged build started with --demo says before it quits. */
export const DEMO_REFUSED_MESSAGE = 'Demo mode is only for a source checkout (npm start). This installed app holds real keys and does not start in demo mode; start it without --demo.';

/** The demo requests, by name (Express external-signer request bodies). */
export const DEMO_REQUESTS: Readonly<Record<string, unknown>> = Object.freeze({ p2sh, p2shP2wsh, p2wsh, p2trMusig2ScriptPath });

/** The demo requests' "drive": named so that nobody takes it for a USB drive. */
export const DEMO_DRIVE_LABEL = 'DEMO requests (built in, not a USB drive)';

/**
 * The demo requests as the files of the built-in demo drive (workflow/session.ts): `<name>.request.json`, each the
 * bundled body written out as JSON text (its review fingerprint is over these bytes).
 */
export function demoRequestFiles(): Record<string, Uint8Array> {
  const enc = new TextEncoder();
  return Object.fromEntries(Object.entries(DEMO_REQUESTS).map(([name, body]) => [`${name}.request.json`, enc.encode(`${JSON.stringify(body, null, 2)}\n`)]));
}

const LABELS: Record<string, string> = {
  '5f2a9c4e1b7d3a8f6e0c2b9d4a7f1e3c': 'Demo wallet A (the demo requests are for this one)',
  '5e3b8d5f2c8e4b9a7f1d3cae5b8a2f4d': 'Demo wallet B',
  '5d4c7e6a3d9f5cab8a2e4dbf6c9b3a5e': 'Demo wallet C (passphrase with accents, symbols and quotes)',
  '5c5d6f7b4eaa6dbc9b3f5ec07dac4b6f': 'Demo wallet D (envelope v2, Argon2id)',
};

/** A fresh parse each time: the key file object is owned by whoever opened it. */
export function demoKeyFile(): KeyFile {
  return parseKeyFile(JSON.stringify(keys), DEMO_LABEL);
}

/**
 * The demo key store's wallet registry (registry.json, its text as the registry module writes it). A demo
 * session's registrations and removals live in memory only: the bundled file never changes.
 */
export function demoRegistry(): Registry {
  return parseRegistry(`${JSON.stringify(registry, null, 2)}\n`, 'demo registry');
}

export function demoInfo(): DemoInfo {
  const passphrases = Object.entries(env as Record<string, string>).flatMap(([name, passphrase]) => {
    const m = /^WALLET_([A-Za-z0-9]+)_PASSPHRASE$/.exec(name);
    if (!m) return [];
    const walletId = m[1]!;
    return [{ walletId, passphrase, label: LABELS[walletId] ?? `Demo wallet ${walletId}` }];
  });
  return { network: 'testnet', passphrases, requests: Object.keys(DEMO_REQUESTS) };
}
