// Loads the PSBT conformance corpus copied into test/fixtures/psbt (see its PROVENANCE.md). Shared by the
// test/unit/intake/bip174-*.spec.ts files; nothing here decides an outcome, it only reads the vectors.
import { readFileSync } from 'node:fs';

export interface PsbtCase {
  id: string;
  name?: string;
  expect: string;
  psbtBase64?: string;
  psbtVersion?: number;
  expectedOutputBase64?: string;
  expectedLocktime?: number | null;
  expectLocktimeError?: boolean;
  expectedErrorMessage?: string;
  strictParseNote?: string;
  sameAsBipVector?: string | null;
  invalidReasonHint?: string;
  inputIndex?: number;
  section?: string;
  keys?: unknown;
  keysWif?: unknown;
  keyWif?: unknown;
  [k: string]: unknown;
}

export interface PsbtVectorFile {
  cases: PsbtCase[];
  [k: string]: unknown;
}

export function loadVectors(file: string): PsbtVectorFile {
  return JSON.parse(readFileSync(new URL(`../fixtures/psbt/${file}`, import.meta.url), 'utf8')) as PsbtVectorFile;
}

export function loadFixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../fixtures/psbt/${path}`, import.meta.url)));
}

export function b64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/**
 * Some corpus fields hold a Python-repr list (single quotes) rather than JSON; pull the WIF strings out of either
 * form. WIFs are base58, so a plain pattern cannot catch anything else.
 */
export function wifsOf(field: unknown): string[] {
  if (field === undefined || field === null) return [];
  const text = typeof field === 'string' ? field : JSON.stringify(field);
  const found = text.match(/[5KLc9][1-9A-HJ-NP-Za-km-z]{50,51}/g);
  return found ?? [];
}
