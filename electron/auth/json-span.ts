// Where each top-level member's value sits in a JSON object's text. An authenticated request binds the exact
// bytes of its body (a token's bodySha256, an HMAC over the body string), and an envelope carries that body as a
// JSON value: re-serializing it would sign bytes nobody sent (key order, spacing, number forms all change), so the
// body's bytes are cut out of the envelope as they are. Only text that parseJsonStrict accepted comes here, so the
// scanner walks well-formed JSON.

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** The [start, end) character offsets of each top-level member's value, by key. */
export function topLevelSpans(text: string): Map<string, [number, number]> {
  let i = 0;
  const ws = () => {
    while (WS.has(text.charCodeAt(i)) || text.charCodeAt(i) === 0xfeff) i++;
  };
  const skipString = (): string => {
    const start = i;
    i++; // opening quote
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) i += 2;
      else if (c === 0x22) break;
      else if (Number.isNaN(c)) throw new SyntaxError('unterminated string');
      else i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skipValue = (): void => {
    const c = text[i];
    if (c === '"') {
      skipString();
      return;
    }
    if (c === '{' || c === '[') {
      let depth = 0;
      for (;;) {
        const d = text[i];
        if (d === '"') {
          skipString();
          continue;
        }
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') depth--;
        else if (d === undefined) throw new SyntaxError('unterminated value');
        i++;
        if (depth === 0) return;
      }
    }
    while (i < text.length && !WS.has(text.charCodeAt(i)) && text[i] !== ',' && text[i] !== '}' && text[i] !== ']') i++;
  };
  const spans = new Map<string, [number, number]>();
  ws();
  if (text[i] !== '{') return spans;
  i++;
  ws();
  if (text[i] === '}') return spans;
  for (;;) {
    ws();
    const key = skipString();
    ws();
    i++; // ':'
    ws();
    const start = i;
    skipValue();
    spans.set(key, [start, i]);
    ws();
    if (text[i] === ',') {
      i++;
      continue;
    }
    return spans;
  }
}
