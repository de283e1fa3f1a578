// Focus follows the work (issue 19, item 11): when a step is done, the focus goes to where the next one starts,
// so a keyboard operator does not Tab (or Shift+Tab) across the page to find it. Steps are found by the id of their
// heading (focusable with tabIndex -1, so it is not a Tab stop of its own): the next Tab goes into the step.
export const IMPORT_HEADING_ID = 'drives-title';

/** Moves the focus to the step's heading; false when the step is not on the page. */
export function focusStep(headingId: string): boolean {
  const el = document.getElementById(headingId);
  if (!el) return false;
  el.focus();
  return document.activeElement === el;
}
