// Files the command line keeps beside the key file, named after it: keys.json -> keys.<what> in the same folder
// (the ledger, the kept MuSig2 nonces, the audit log, the used-token store, the HMAC secrets file).
import { basename, dirname, extname, join } from 'node:path';

/** `besideKeyFile('/usb/keys.json', 'ledger.json')` -> '/usb/keys.ledger.json'. */
export function besideKeyFile(keysPath: string, what: string): string {
  return join(dirname(keysPath), `${basename(keysPath, extname(keysPath))}.${what}`);
}
