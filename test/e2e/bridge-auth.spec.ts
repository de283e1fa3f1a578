// Authenticated requests on screen, through the real router, handlers, session and registry behind the Chromium
// test bridge (demo key store; its registry is kept for the session). The operator pins the sender's RSA key on the
// Wallets screen (main shows its RFC 7638 thumbprint in groups; a wrong last four is refused), then imports an
// authenticated request (a JWT envelope) and an unauthenticated one (the plain Express body) for the same wallet
// from one drive: one review shows who signed it (thumbprint, jti, expiry), the other "Not authenticated". With the
// policy set to require a JWT on the same screen, a later plain copy is REFUSED in words. Then the other forms: the
// HMAC secret provisioned from a file on the drive (an HMAC-tagged request then shows its tag), a key unpinned by
// typing its thumbprint. Keys and tokens are made
// here (node:crypto, jose: test/support/auth-requests.ts), never by the code under test. Screenshots are saved as
// artefacts of each step.
import type { Locator, Page } from '@playwright/test';
import { openApp } from './support/bridge';
import { goToStep } from './support/steps';
import { WALLETS, expect, importFiles, openReview, screenshot, test } from './support/workflow';
import { SECRET, envelope, hmacEnvelope, requestFile, requestText, sender, thumbprintOf, token } from '../support/auth-requests';

const A = WALLETS.walletA!;
const walletsScreen = (page: Page): Locator => page.getByRole('region', { name: 'Wallets', exact: true });
const authOf = (page: Page): Locator => walletsScreen(page).getByRole('listitem', { name: `Registry entry ${A.walletId}` }).getByRole('region', { name: `Request authentication for ${A.walletId}` });

test('pin a key on the Wallets screen, then an authenticated and an unauthenticated request side by side; requiring a JWT refuses the plain one', async ({ page, drives }) => {
  const jwt = await token({ expiresIn: 1800 });
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { jti: string; exp: number };
  const thumb = await thumbprintOf(sender.publicKey);
  drives.put('USB', 'signed.json', envelope(jwt));
  drives.put('USB', 'plain.json', requestFile);
  await openApp(page);
  await goToStep(page, 'Wallets registry');

  // Pin: paste the PEM, main shows the thumbprint in groups of four; a wrong last four pins nothing.
  const auth = authOf(page);
  await expect(auth).toContainText('Requires' + 'none: unauthenticated requests are accepted');
  await expect(auth).toContainText('Pinned keysnone');
  await auth.getByRole('button', { name: 'Pin a request-signing key…' }).click();
  const pinForm = auth.getByRole('form', { name: `Pin a request-signing key for ${A.walletId}` });
  await pinForm.getByLabel(/^Request-signing public key/).fill(sender.publicKey);
  await pinForm.getByRole('button', { name: 'Show its thumbprint…' }).click();
  const confirm = auth.getByRole('form', { name: `Confirm the key to pin for ${A.walletId}` });
  const shown = confirm.getByLabel('Key thumbprint').getByLabel(thumb);
  await expect(shown).toHaveText(thumb);
  expect(await shown.locator('span').count()).toBe(Math.ceil(thumb.length / 4));
  await expect(confirm).toContainText('RSA 2048 bits (PEM)');
  await screenshot(page, 'pin-key-thumbprint');
  const last = confirm.getByLabel(/^Last four characters of the thumbprint/);
  await last.fill(thumb.slice(-4).toLowerCase() === thumb.slice(-4) ? 'ZZZZ' : thumb.slice(-4).toLowerCase());
  await confirm.getByRole('button', { name: 'Pin this key' }).click();
  await expect(confirm.getByRole('alert')).toContainText('do not end the key\'s thumbprint');
  await expect(auth).toContainText('Pinned keysnone');
  await last.fill(thumb.slice(-4));
  await confirm.getByRole('button', { name: 'Pin this key' }).click();
  await expect(auth.getByRole('listitem', { name: `Pinned key ${thumb}` })).toBeVisible();
  await screenshot(page, 'key-pinned');

  // Side by side: both files from one drive, the same wallet.
  await importFiles(page, 'USB', ['plain.json', 'signed.json']);
  await goToStep(page, 'Import');
  const imported = page.getByRole('region', { name: 'Last import' });
  await expect(imported).toContainText(`signed.json: imported for wallet ${A.walletId}`);
  await expect(imported).toContainText(`plain.json: imported for wallet ${A.walletId}`);
  const signedReview = await openReview(page, 'signed.json');
  await expect(signedReview.getByLabel('Request authentication')).toHaveText(`Signed request (JWT RS256) · key ${thumb} · jti ${claims.jti} · expires ${new Date(claims.exp * 1000).toISOString()}`);
  await screenshot(page, 'review-authenticated');
  const plainReview = await openReview(page, 'plain.json');
  await expect(plainReview.getByLabel('Request authentication')).toHaveText('Not authenticated: nobody signed this request.');
  await screenshot(page, 'review-not-authenticated');

  // Require a JWT: a later copy of the plain request (same body, another file) is refused, in words.
  await goToStep(page, 'Wallets registry');
  await auth.getByRole('button', { name: 'Set the policy…' }).click();
  const policy = auth.getByRole('form', { name: `Authentication policy for ${A.walletId}` });
  await policy.getByLabel('Requests this wallet signs').selectOption('jwt');
  await policy.getByLabel(/^Longest JWT lifetime/).fill('3600');
  await policy.getByRole('button', { name: 'Save the policy' }).click();
  await expect(auth).toContainText('RequiresJWT: only requests signed (RS256) by a pinned key');
  await expect(auth).toContainText('Longest lifetime3600 seconds');
  drives.put('USB', 'plain-later.json', requestText);
  await goToStep(page, 'Import');
  await page.getByRole('region', { name: 'Request files on USB drives' }).getByRole('button', { name: 'Refresh drives', exact: true }).click();
  await importFiles(page, 'USB', ['plain-later.json']);
  await expect(imported).toContainText(
    new RegExp(`plain-later\\.json: REFUSED, NOT imported \\(review fingerprint [0-9a-f-]+\\): plain-later\\.json: wallet ${A.walletId} signs only requests authenticated with a JWT \\(RS256\\) signature; this one is not authenticated`),
  );
  await expect(page.getByRole('row', { name: 'Request plain-later.json', exact: true })).toHaveCount(0);
  await screenshot(page, 'plain-refused-by-policy');
});

test('provision the HMAC secret from a drive file and unpin a key by typing its thumbprint', async ({ page, drives }) => {
  const thumb = await thumbprintOf(sender.publicKey);
  drives.put('USB', 'hmac-secret.txt', `${SECRET}\n`);
  drives.put('USB', 'tagged.json', hmacEnvelope());
  await openApp(page);
  await goToStep(page, 'Wallets registry');
  const auth = authOf(page);

  await auth.getByRole('button', { name: 'Provision the HMAC secret…' }).click();
  const secretForm = auth.getByRole('form', { name: `Provision the HMAC secret for ${A.walletId}` });
  await secretForm.getByLabel('Drive with the secret file').selectOption({ label: 'USB' });
  await secretForm.getByLabel('Secret file', { exact: true }).selectOption('hmac-secret.txt');
  await secretForm.getByRole('button', { name: 'Provision this secret' }).click();
  await expect(auth).toContainText(/HMAC secretprovisioned, id [0-9a-f]{16}/);
  await expect(page.locator('body')).not.toContainText(SECRET);
  await importFiles(page, 'USB', ['tagged.json']);
  const review = await openReview(page, 'tagged.json');
  await expect(review.getByLabel('Request authentication')).toContainText(`HMAC 3.0 tagged request · /api/v2/tbtc/wallet/${A.walletId}/signtx`);
  await screenshot(page, 'review-hmac');
  await goToStep(page, 'Wallets registry');

  await auth.getByRole('button', { name: 'Pin a request-signing key…' }).click();
  await auth.getByLabel(/^Request-signing public key/).fill(sender.publicKey);
  await auth.getByRole('button', { name: 'Show its thumbprint…' }).click();
  await auth.getByLabel(/^Last four characters of the thumbprint/).fill(thumb.slice(-4));
  await auth.getByRole('button', { name: 'Pin this key' }).click();
  const pinned = auth.getByRole('listitem', { name: `Pinned key ${thumb}` });
  await pinned.getByRole('button', { name: 'Unpin…' }).click();
  const unpin = pinned.getByRole('form', { name: `Unpin key ${thumb}` });
  await unpin.getByLabel(/type its thumbprint$/).fill(thumb.slice(1));
  await unpin.getByRole('button', { name: 'Unpin this key' }).click();
  await expect(unpin.getByRole('alert')).toHaveText(`to unpin key ${thumb} from wallet ${A.walletId}, type its thumbprint exactly; nothing was unpinned`);
  await unpin.getByLabel(/type its thumbprint$/).fill(thumb);
  await unpin.getByRole('button', { name: 'Unpin this key' }).click();
  await expect(pinned).toHaveCount(0);
  await expect(auth).toContainText('Pinned keysnone');
  await screenshot(page, 'key-unpinned');
});
