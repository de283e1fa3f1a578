// Focus follows the work (issue 19, items 10 and 11): when a step is done the app shows the next one (Steps.tsx),
// and its heading takes the focus and comes to the top of the view, just under the sticky header, so a keyboard
// operator does not Tab (or Shift+Tab) across the page to find it. Headings are focusable with tabIndex -1, so they
// are not Tab stops of their own: the next Tab goes into the step.
export const IMPORT_HEADING_ID = 'drives-title';

/** The current step's heading: the first second-level heading of the parts shown. */
function currentHeading(): HTMLElement | null {
  return document.querySelector<HTMLElement>('main .step:not([hidden]) h2');
}

/** Focuses the current step's heading and scrolls it to just under the header; false when there is none. */
export function focusCurrentStep(): boolean {
  const el = currentHeading();
  if (!el) return false;
  if (!el.hasAttribute('tabindex')) el.tabIndex = -1;
  el.focus({ preventScroll: true });
  const header = document.querySelector('.app-header');
  const below = header ? header.getBoundingClientRect().bottom : 0;
  window.scrollTo({ top: Math.max(0, window.scrollY + el.getBoundingClientRect().top - below - 12) });
  return document.activeElement === el;
}
