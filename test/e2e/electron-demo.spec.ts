// The same page-level steps as the Chromium bridge specs, against the real app in Electron (demo mode), when a
// binary is present (ELECTRON_OVERRIDE_DIST_PATH or an unpacked node_modules/electron/dist); otherwise each test
// skips with one line. Here the preload, the app:// protocol, main's router and the real vault are all in play.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { METHODS } from '../../shared/contract';
import { launchElectronOrSkip } from './support/electron';
import { fixturePath } from './support/paths';
import { expectWrongPassphraseMessage, goToStep, lockWallet, probeNetwork, rendererGlobals, submitPassphrase, unlockWallet, walletCard } from './support/steps';

interface FixtureWallet { walletId: string; passphrase: string; fingerprints: { user: string } }
const A = (JSON.parse(readFileSync(fixturePath('bitgo/wallets.json'), 'utf8')) as Record<string, FixtureWallet>).walletA!;

test('real app: demo unlock flow, page globals and CSP probes', async () => {
  const { app, window: page } = await launchElectronOrSkip(test);
  try {
    await expect(page.getByRole('heading', { name: 'Offline Signer', level: 1 })).toBeVisible();
    expect(page.url()).toBe('app://signer/index.html');
    await expect(page.getByRole('region', { name: 'DEMO — testnet test keys, never real funds' })).toBeVisible();

    const g = await rendererGlobals(page);
    expect(g).toMatchObject({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined', signer: 'object', signerFrozen: true, signerMethods: [...METHODS].sort() });

    await submitPassphrase(page, A.walletId, `${A.passphrase}x`);
    await expectWrongPassphraseMessage(page, A.walletId);
    await unlockWallet(page, A.walletId, A.passphrase);
    await goToStep(page, 'Unlock');
    await expect(walletCard(page, A.walletId).getByText(A.fingerprints.user, { exact: true })).toBeVisible();
    await lockWallet(page, A.walletId);

    const probe = await probeNetwork(page);
    for (const k of ['fetch', 'xhr', 'webSocket', 'image'] as const) expect(probe[k], k).toMatch(/^blocked/);
    expect(probe.inlineScript).toBe('blocked');
    expect(probe.eval).toMatch(/^blocked: EvalError/);
  } finally {
    await app.close();
  }
});
