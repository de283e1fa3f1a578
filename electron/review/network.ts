// Which network a request is for. The operator's choice (CLI --network, the import's choice for bare PSBTs) wins
// and metadata naming another network is refused; without a choice, the addresses in the metadata (and tpub keys)
// decide, and a request that names none is shown for mainnet with a warning.
import { address as btcAddress, networks, type Network } from 'bitcoinjs-lib';
import { BoundedMap } from '../util/memo';
import type { RequestMetadata } from '../intake/express';
import type { Issues } from './issues';

export type NetworkName = 'bitcoin' | 'testnet';

export const NETWORKS: Record<NetworkName, Network> = { bitcoin: networks.bitcoin, testnet: networks.testnet };

// Addresses named in metadata (500 unspents of a 500-input request) decode in ~16 us each; a review and the gate
// that follows decode the same ones. A pure function of the text, remembered (bounded; public data).
const addressNetworks = new BoundedMap<string, NetworkName | null>(20_000);

/**
 * Which network an address belongs to, or undefined when it is not a valid address of either. The prefix decides
 * first (BIP173 hrp bc/tb; base58 version bytes 0x00/0x05 -> 1/3, 0x6f/0xc4 -> m,n/2), then the address is
 * decoded for that network only.
 */
export function addressNetwork(addr: string): NetworkName | undefined {
  let n = addressNetworks.get(addr);
  if (n === undefined) addressNetworks.set(addr, (n = decodeAddressNetwork(addr) ?? null));
  return n ?? undefined;
}

/** Whether bitcoinjs-lib's toOutputScript takes `addr` for `network`. */
function decodes(addr: string, network: NetworkName): boolean {
  try {
    return segwitDecodes(addr, network) ?? btcAddress.toOutputScript(addr, NETWORKS[network]).length > 0;
  } catch {
    return false;
  }
}

/** BIP141 witness program sizes (bytes) and OP_1, the first versioned witness program's opcode. */
const PROGRAM_MIN = 2;
const PROGRAM_MAX = 40;
const OP_1 = 0x51;
/** Bitcoin's base58 alphabet (no 0, O, I, l). */
const BASE58_TEXT = /^[1-9A-HJ-NP-Za-km-z]+$/;

/**
 * toOutputScript's own answer for a segwit address of version 0 or 2 to 16, without calling it (undefined: ask
 * toOutputScript, as for base58 and version 1, whose key it checks on the curve). Version 0: building its script
 * takes bitcoinjs-lib's payments about 60 us an address (p2wsh of a 500-input request's unspents: 30 ms of a cold
 * review). Versions 2 to 16: toOutputScript prints a console warning (the review warns in its own words instead:
 * output_future_segwit). The same steps in the same order: an address that decodes as base58check is not bech32
 * here either; then the prefix, the version, the program's length.
 */
function segwitDecodes(addr: string, network: NetworkName): boolean | undefined {
  // A text with a character outside base58's alphabet cannot be base58check: the attempt is skipped, and with it a
  // thrown error (most bech32 addresses hold a "0" or an "l"; the throws were 12 ms of a 500-input review).
  if (BASE58_TEXT.test(addr)) {
    try {
      btcAddress.fromBase58Check(addr);
      return undefined;
    } catch {
      // not base58check: bech32 next, as toOutputScript does
    }
  }
  let decoded: ReturnType<typeof btcAddress.fromBech32>;
  try {
    decoded = btcAddress.fromBech32(addr);
  } catch {
    return false;
  }
  if (decoded.version === 1) return undefined;
  if (decoded.prefix !== NETWORKS[network].bech32) return false;
  if (decoded.version === 0) return decoded.data.length === 20 || decoded.data.length === 32;
  return decoded.version <= 16 && decoded.data.length >= PROGRAM_MIN && decoded.data.length <= PROGRAM_MAX;
}

/**
 * The witness version of an output that pays a program no consensus rule governs today: version 2 to 16, or version
 * 1 that is not 32 bytes (BIP341 defines only that). Such outputs are spendable by anyone until a soft fork gives
 * the version meaning, so the review warns (output_future_segwit). Undefined for every other script.
 */
export function futureWitnessVersion(script: Uint8Array): number | undefined {
  const version = script[0]! - OP_1 + 1;
  const size = script[1];
  if (script.length < 2 || version < 1 || version > 16 || size === undefined || size < PROGRAM_MIN || size > PROGRAM_MAX || script.length !== size + 2) return undefined;
  return version >= 2 || size !== 32 ? version : undefined;
}

function decodeAddressNetwork(addr: string): NetworkName | undefined {
  const lower = addr.toLowerCase();
  const guess: NetworkName | undefined = lower.startsWith('bc1') || /^[13]/.test(addr) ? 'bitcoin' : lower.startsWith('tb1') || /^[mn2]/.test(addr) ? 'testnet' : undefined;
  if (guess) return decodes(addr, guess) ? guess : undefined;
  return (['bitcoin', 'testnet'] as const).find((n) => decodes(addr, n));
}

/** The address of a script on a network, or undefined for scripts without one (OP_RETURN, non-standard). */
export function addressOf(script: Uint8Array, network: NetworkName): string | undefined {
  try {
    // A future version's address is encoded here (BIP350 bech32m): fromOutputScript would print a console warning
    // for versions 2 to 16, and gives none for version 1 programs that are not 32 bytes.
    const future = futureWitnessVersion(script);
    if (future !== undefined) return btcAddress.toBech32(script.subarray(2), future, NETWORKS[network].bech32);
    return btcAddress.fromOutputScript(script, NETWORKS[network]);
  } catch {
    return undefined;
  }
}

export function clearAddressMemo(): void {
  addressNetworks.clear();
}

export function decideNetwork(meta: RequestMetadata, xpubs: readonly string[], chosen: NetworkName | undefined, issues: Issues): NetworkName {
  const seen = new Map<NetworkName, string>();
  for (const a of [...meta.unspents.map((u) => u.address), ...meta.changeAddresses, ...meta.addressDetails.keys()]) {
    if (a === undefined) continue;
    const n = addressNetwork(a);
    if (n && !seen.has(n)) seen.set(n, a);
  }
  // tpub-style keys are testnet keys (BIP32 version bytes); BitGo itself uses xpub on both networks.
  if (xpubs.some((x) => x.startsWith('tpub')) && !seen.has('testnet')) seen.set('testnet', 'a tpub key in pubs');
  if (chosen) {
    for (const [n, a] of seen) {
      if (n !== chosen) issues.refuse('network_mismatch', `the request is for ${chosen}, but its metadata names ${n === 'bitcoin' ? 'mainnet' : 'testnet'} (${a})`);
    }
    return chosen;
  }
  if (seen.size > 1) {
    issues.refuse('network_mismatch', `the request's metadata mixes networks (${[...seen.values()].join(', ')})`);
    return 'bitcoin';
  }
  const only = [...seen.keys()][0];
  if (only) return only;
  issues.warn('network_assumed', 'nothing in the request names its network; addresses are shown for mainnet (choose --network to override)');
  return 'bitcoin';
}
