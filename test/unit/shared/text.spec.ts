// shared/text.ts: what the operator reads is what is there.
import { test, expect } from '@playwright/test';
import { hasInvisible, visible } from '../../../shared/text';

test('controls, separators, zero-width and bidirectional characters become visible marks; other text is unchanged', () => {
  expect(visible('p2wsh.request.json')).toBe('p2wsh.request.json');
  expect(visible('Überweisung €5 — 送金.json')).toBe('Überweisung €5 — 送金.json');
  expect(visible('a\nb\r\tc\u0000')).toBe('a⟨U+000A⟩b⟨U+000D⟩⟨U+0009⟩c⟨U+0000⟩');
  expect(visible('invoice\u202Enosj.exe')).toBe('invoice⟨U+202E⟩nosj.exe');
  for (const c of ['\u200B', '\u200E', '\u200F', '\u061C', '\u2028', '\u2029', '\u2066', '\u2069', '\uFEFF', '\u0085', '\u007F']) {
    expect(hasInvisible(`x${c}y`), c.codePointAt(0)!.toString(16)).toBe(true);
    expect(visible(`x${c}y`)).toMatch(/^x⟨U\+[0-9A-F]{4}⟩y$/);
  }
  expect(hasInvisible('plain.json')).toBe(false);
});
