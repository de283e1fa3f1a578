// JSON.parse, but a key that appears twice in one object is refused with its path instead of silently keeping the
// last value. In a format an operator writes (policy files, key files), a second "maxSpendSats": null would quietly
// disable a limit; in a request, two "txHex" keys could be read one way here and another way by another parser.

/** Where a key appears twice: the object's path ("wallets.abc") and the key. */
export interface DuplicateKey {
  path: string;
  key: string;
}

export type StrictJson = { ok: true; value: unknown } | { ok: false; syntax: SyntaxError } | { ok: false; duplicate: DuplicateKey };

function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const shown = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  return path === '' ? shown : `${path}.${shown}`;
}

/**
 * Parses `text` as JSON.parse does, then scans it once for repeated keys. The scan runs only on text JSON.parse
 * accepted, so it walks well-formed JSON: strings, numbers, literals, objects and arrays.
 */
export function parseJsonStrict(text: string): StrictJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, syntax: e instanceof SyntaxError ? e : new SyntaxError('invalid JSON') };
  }
  const duplicate = findDuplicateKey(text);
  return duplicate ? { ok: false, duplicate } : { ok: true, value };
}

function findDuplicateKey(text: string): DuplicateKey | undefined {
  let i = 0;
  const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d, BOM = 0xfeff, BACKSLASH = 0x5c;
  const ws = () => {
    for (let c = text.charCodeAt(i); c === SPACE || c === LF || c === CR || c === TAB || c === BOM; c = text.charCodeAt(++i));
  };
  /** Skips a string token. Long strings (hex, base64) are skipped by indexOf. */
  const skipString = (): void => {
    let end = text.indexOf('"', i + 1);
    // A quote preceded by an odd number of backslashes is escaped: look for the next one.
    for (;;) {
      let slashes = 0;
      while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) break;
      end = text.indexOf('"', end + 1);
    }
    i = end + 1;
  };
  /** A key as JSON.parse reads it (escapes decoded only when there are any). */
  const readString = (): string => {
    const start = i;
    skipString();
    const raw = text.slice(start + 1, i - 1);
    return raw.includes('\\') ? (JSON.parse(text.slice(start, i)) as string) : raw;
  };
  // An explicit stack rather than recursion: a deeply nested document must not overflow the call stack.
  type Frame = { kind: 'object'; path: string; keys: Set<string>; last: string } | { kind: 'array'; path: string; index: number };
  const stack: Frame[] = [];
  /** Inside an object, right after "{" or ",": a key comes next. */
  let keyNext = false;
  for (ws(); i < text.length; ws()) {
    const ch = text[i]!;
    const top = stack.at(-1);
    if (keyNext && ch === '"' && top?.kind === 'object') {
      const key = readString();
      if (top.keys.has(key)) return { path: top.path, key };
      top.keys.add(key);
      top.last = key;
      ws();
      i++; // the colon
      keyNext = false;
      continue;
    }
    keyNext = false;
    if (ch === '{' || ch === '[') {
      // The path of the value about to start: the last key of the enclosing object, or its index in an array.
      const parent = stack.at(-1);
      const path = parent === undefined ? '' : parent.kind === 'array' ? joinPath(parent.path, parent.index) : joinPath(parent.path, parent.last);
      stack.push(ch === '{' ? { kind: 'object', path, keys: new Set(), last: '' } : { kind: 'array', path, index: 0 });
      keyNext = ch === '{';
      i++;
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      i++;
    } else if (ch === ',') {
      if (top?.kind === 'array') top.index++;
      keyNext = top?.kind === 'object';
      i++;
    } else if (ch === '"') {
      skipString();
    } else {
      // a number or a literal: up to the next structural character
      for (let c = text.charCodeAt(i); i < text.length && c !== 0x2c && c !== 0x7d && c !== 0x5d && c !== SPACE && c !== LF && c !== CR && c !== TAB; c = text.charCodeAt(++i));
    }
  }
  return undefined;
}
