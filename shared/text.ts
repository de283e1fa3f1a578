// Text that came from outside (file names, drive labels, reasons, messages that quote them) shown so that what the
// operator reads is what is there: characters that change how text reads without being seen are replaced by a
// visible mark ⟨U+XXXX⟩. That is C0 and C1 controls (a newline in a file name would add a forged line to the
// session summary), DEL, the Unicode line and paragraph separators, zero-width characters and the bidirectional
// controls (Trojan Source, CVE-2021-42574: "invoice‮nosj.exe" reads as "invoiceexe.json").

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** True when `visible` would change the text. */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text);
}
