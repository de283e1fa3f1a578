// A small state file the signer keeps (the signing ledger, the wallet registry): read whole, replaced atomically
// (output/atomic-write.ts, mode 0600). A missing file reads as undefined (nothing kept yet); any other read failure
// is an error, never an empty file.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { writeFileAtomic } from './atomic-write';

export function textFile(path: string): { name: string; read(): string | undefined; write(text: string): void } {
  return {
    name: basename(path),
    read() {
      try {
        return readFileSync(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    write(text) {
      writeFileAtomic(path, text, { overwrite: true, mode: 0o600 });
    },
  };
}
