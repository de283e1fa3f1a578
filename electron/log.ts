// The main process log: every line goes through redact() before it is written anywhere (Signal Desktop's
// privacy.main.ts habit). Logs end up in bug reports and on USB sticks; they must never carry key material,
// passphrases or who the operator is (home directory paths carry the user name).
//
// redact() is a safety net, not the design: code never logs secrets on purpose. It errs on the side of
// over-redacting (a 64-hex-digit txid is redacted too), which costs a little debugging comfort only.

const BASE58 = '1-9A-HJ-NP-Za-km-z';
const RULES: [RegExp, string][] = [
  // Passphrase-like fields in JSON, key=value, env-var or CLI form, whatever the value is.
  [/("(?:[A-Za-z0-9_]*pass(?:phrase|word)|mnemonic|seed|xprv|prv)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, '$1"[redacted]"'],
  [/\b((?:WALLET_[A-Za-z0-9]+_)?PASS(?:PHRASE|WORD)|passphrase|password|mnemonic)(\s*[=:]\s*)(\S+)/gi, '$1$2[redacted]'],
  // BIP32 extended private keys (and SLIP-132 variants), WIF private keys.
  [new RegExp(`[xtyzuv]prv[${BASE58}]{20,}`, 'g'), '[redacted-xprv]'],
  [new RegExp(`(?<![${BASE58}])[5KLc9][${BASE58}]{50,51}(?![${BASE58}])`, 'g'), '[redacted-wif]'],
  // Hex of 32 bytes or more: seeds, raw private keys, derived secrets.
  [/(?<![0-9a-fA-F])[0-9a-fA-F]{64,}(?![0-9a-fA-F])/g, '[redacted-hex]'],
  // Home directories: /home/<user>, /Users/<user>, C:\Users\<user>, /root.
  [/(?:\/home|\/Users)\/[^/\s"'`]+/g, '~'],
  [/[A-Za-z]:\\Users\\[^\\\s"'`]+/gi, '~'],
  [/(?<![\w/])\/root(?=\/|\s|$)/g, '~'],
];

export function redact(text: string): string {
  let out = text;
  for (const [re, replacement] of RULES) out = out.replace(re, replacement);
  return out;
}

/** Formats anything for the log: errors as name, code and message (stacks only with the paths redacted). */
export function describe(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return `${value.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${value.message}${value.stack ? `\n${value.stack.split('\n').slice(1).join('\n')}` : ''}`;
  }
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export type Level = 'info' | 'warn' | 'error';

export interface Logger {
  info(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
  error(...parts: unknown[]): void;
}

/** A logger writing redacted lines to `sink` (stderr in main.ts; an array in tests). */
export function createLogger(sink: (line: string) => void, now: () => Date = () => new Date()): Logger {
  const write = (level: Level, parts: unknown[]) => {
    sink(redact(`${now().toISOString()} ${level.toUpperCase()} ${parts.map(describe).join(' ')}`));
  };
  return {
    info: (...p) => write('info', p),
    warn: (...p) => write('warn', p),
    error: (...p) => write('error', p),
  };
}
