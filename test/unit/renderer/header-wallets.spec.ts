// The persistent header names each wallet of a small key store, and with many wallets the unlocked ones (their
// countdowns are what the operator watches) and a count of the locked (renderer/header-wallets.ts).
import { test, expect } from '@playwright/test';
import type { WalletView } from '../../../shared/contract';
import { HEADER_WALLETS_ALL, headerWallets } from '../../../renderer/header-wallets';

const wallet = (i: number, unlocked: boolean): WalletView => ({ walletId: i.toString(16).padStart(32, '0'), envelopeVersion: 2, unlocked });

test('up to four wallets: every one named, in the key store order, locked or not', () => {
  const four = [wallet(1, false), wallet(2, true), wallet(3, false), wallet(4, false)];
  expect(HEADER_WALLETS_ALL).toBe(4);
  expect(headerWallets(four)).toEqual({ named: four, lockedCounted: 0 });
  expect(headerWallets([])).toEqual({ named: [], lockedCounted: 0 });
});

test('more than four: the unlocked named in order, the locked counted; none unlocked names none', () => {
  const many = Array.from({ length: 12 }, (_, i) => wallet(i + 1, i === 2 || i === 9));
  expect(headerWallets(many)).toEqual({ named: [many[2], many[9]], lockedCounted: 10 });
  const locked = many.map((w) => ({ ...w, unlocked: false }));
  expect(headerWallets(locked)).toEqual({ named: [], lockedCounted: 12 });
});
