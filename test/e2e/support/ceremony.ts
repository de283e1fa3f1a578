// The Key ceremony step as the ceremony specs open it in Chromium: the app at 1280x900 on that step, and a form
// opened by keyboard from its button, its heading taking the focus.
import { expect, type Locator, type Page } from '@playwright/test';
import { openApp } from './bridge';
import { goToStep } from './steps';

/** Opens the app on the Key ceremony step; returns its section. */
export async function openCeremony(page: Page): Promise<Locator> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openApp(page);
  await goToStep(page, 'Key ceremony');
  return page.getByRole('region', { name: 'Key ceremony' });
}

/** Opens a form behind its button (`button`, usually "<heading>…") by keyboard; its heading takes the focus. */
export async function openCeremonyForm(page: Page, button: string, heading: string): Promise<Locator> {
  const section = page.getByRole('region', { name: 'Key ceremony' });
  await section.getByRole('button', { name: button }).focus();
  await page.keyboard.press('Enter');
  await expect(section.getByRole('heading', { name: heading })).toBeFocused();
  return section.getByRole('form', { name: heading });
}
