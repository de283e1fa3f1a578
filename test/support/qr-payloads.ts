// PSBT payloads of the sizes the QR transport is tested and benchmarked with, all built from BitGo fixtures
// (test/fixtures/bitgo, see its PROVENANCE.md) or bitcoinjs-lib, nothing random:
// - small (~200 B): a real unsigned PSBT built with bitcoinjs-lib (one input, four outputs);
// - 1 KB / 10 KB / 100 KB: the leading bytes of the large-p2wsh-100 / large-p2wsh-500 fixture PSBTs. The
//   transport moves bytes and only checks the BIP174 magic, so a prefix of a real PSBT keeps the realistic mix of
//   hashes, scripts and keys (what decides compression) at an exact size.
import { readFileSync } from 'node:fs';
import { address, Psbt, networks } from 'bitcoinjs-lib';

const dir = new URL('../fixtures/bitgo/cases/', import.meta.url);

function fixturePsbt(name: string): Uint8Array {
  const request = JSON.parse(readFileSync(new URL(`${name}.request.json`, dir), 'utf8')) as { txPrebuild: { txHex: string } };
  return Uint8Array.from(Buffer.from(request.txPrebuild.txHex, 'hex'));
}

export function smallPsbt(): Uint8Array {
  const psbt = new Psbt({ network: networks.testnet });
  psbt.addInput({ hash: '11'.repeat(32), index: 1, sequence: 0xfffffffd });
  for (let i = 0; i < 4; i++) psbt.addOutput({ script: Uint8Array.from([0x00, 0x14, ...new Uint8Array(20).fill(i + 1)]), value: BigInt(10_000 * (i + 1)) });
  return psbt.toBuffer();
}

export function psbtOfSize(bytes: number): Uint8Array {
  const source = fixturePsbt(bytes <= 37_000 ? 'large-p2wsh-100' : 'large-p2wsh-500');
  if (source.length < bytes) throw new Error(`fixture PSBT has only ${source.length} bytes`);
  return source.slice(0, bytes);
}

export function fixtureRequestJson(): Uint8Array {
  return Uint8Array.from(readFileSync(new URL('p2wsh.request.json', dir)));
}

/**
 * The p2wsh fixture request with its first unspent's address re-encoded for mainnet (same script, `bc1` instead
 * of `tb1`): a request whose metadata names two networks. The review refuses it (`network_mismatch`) whether it
 * arrives as a file or by QR; nothing else about the request changes.
 */
export function wrongNetworkRequestJson(): Uint8Array {
  const body = JSON.parse(readFileSync(new URL('p2wsh.request.json', dir), 'utf8')) as { txPrebuild: { txInfo: { unspents: { address: string }[] } } };
  const first = body.txPrebuild.txInfo.unspents[0]!;
  first.address = address.fromOutputScript(address.toOutputScript(first.address, networks.testnet), networks.bitcoin);
  return new TextEncoder().encode(JSON.stringify(body));
}

/**
 * BitGo's testnet p2wsh fixture with every address in its metadata rewritten for mainnet (the same scripts): a
 * consistent request for another network, as a compromised online side could send. Without a registry or a coin
 * it reviews as mainnet; for its registered tbtc wallet it is refused (`network_mismatch`).
 */
export function mainnetMetadataRequestJson(): Uint8Array {
  const text = readFileSync(new URL('p2wsh.request.json', dir), 'utf8');
  const mainnet = text.replace(/\btb1[02-9ac-hj-np-z]{8,87}\b/g, (a) => address.fromOutputScript(address.toOutputScript(a, networks.testnet), networks.bitcoin));
  return new TextEncoder().encode(mainnet);
}
