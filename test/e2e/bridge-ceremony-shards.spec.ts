// "Verify shards" in the Key ceremony section end to end in Chromium, through the real router, handlers and ceremony
// core behind the test bridge, by keyboard: a 2-of-3 shard file (made by the core's splitSeed, BitGo's splitSecret
// format) pasted, one password field per shard; a wrong password refused and named by its shard, then every
// password right: VERIFIED with the key the seed gives. No IPC response carries a password.
import { bip32 } from '../../electron/crypto/ecc';
import { serializeShardSet, splitSeed } from '../../electron/ceremony/shards';
import { openCeremony } from './support/ceremony';
import { expect, screenshot, test } from './support/workflow';

const PW = ['first holder password', 'second holder password', 'third holder password'];

test('verify shards by keyboard: one password per shard, a wrong one named, then VERIFIED with the seed\'s key', async ({ page, bridge }) => {
  test.setTimeout(120_000);
  const seed = new Uint8Array(64).fill(51);
  const xpub = bip32.fromSeed(Buffer.from(seed)).neutered().toBase58();
  const file = serializeShardSet(await splitSeed(seed, PW, 2));
  const form = (await openCeremony(page)).getByRole('form', { name: 'Verify shards' });

  await form.getByLabel(/^The shard file/).fill(file);
  await expect(form.getByText('3 shards: one password for each holder.')).toBeVisible();
  const typeAll = async (pws: string[]) => {
    await form.getByLabel(/^The shard file/).focus();
    for (const pw of pws) {
      await page.keyboard.press('Tab');
      await page.keyboard.type(pw);
    }
    await page.keyboard.press('Enter');
  };
  await expect(form.getByLabel('Password of shard 3')).toBeVisible();
  await typeAll([PW[0]!, 'not the second password', PW[2]!]);
  await expect(form.getByRole('alert')).toContainText('shard 2');
  await expect(form.getByLabel('Password of shard 2')).toHaveValue('');

  await typeAll(PW);
  const verdict = form.getByRole('status');
  await expect(verdict).toContainText('VERIFIED', { timeout: 60_000 });
  await expect(verdict).toContainText('every one of the 3 combinations of 2');
  await expect(verdict).toContainText(xpub);
  await screenshot(page, 'ceremony-verify-shards');

  const all = bridge.responses.join('\n');
  for (const pw of PW) expect(all).not.toContain(pw);
});
