// Single-key signing for tests that reproduce public vectors keyed by WIF (BIP174, Core, bitcoinjs-lib). The app
// itself signs only with BIP32 wallet keys, so ecpair is a dev dependency and never in the shipped bundle.
import { ECPairFactory } from 'ecpair';
import { ecc } from '../../electron/crypto/ecc';

export const ECPair = ECPairFactory(ecc);
