// The part of secrets.js-grempe 1.1.0 (secrets.js, its README) the ceremony uses; the package ships no types.
declare module 'secrets.js-grempe' {
  interface SecretsJs {
    /** GF(2^bits) (default 8) and the random generator ("nodeCryptoRandomBytes" on Node). */
    init(bits?: number, rngType?: string): void;
    /** Shares of a hex secret: "<bits in base 36><id in hex><data in hex>", the secret padded to `padLength` bits (default 128). */
    share(secret: string, numShares: number, threshold: number, padLength?: number): string[];
    /** The hex secret from shares (Lagrange at 0); shares of different splits give a wrong secret, not an error. */
    combine(shares: string[], at?: number): string;
    extractShareComponents(share: string): { bits: number; id: number; data: string };
    getConfig(): { bits: number; radix: number; maxShares: number; hasCSPRNG: boolean; typeCSPRNG: string };
  }
  const secrets: SecretsJs;
  export default secrets;
}
