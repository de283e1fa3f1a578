// Bounded memo tables for pure functions of PUBLIC data (curve-point validity, BIP32 public derivations, address
// networks). A review and the signature that follows it look at the same 1500 keys of a 500-input request; each
// wasm curve operation costs 20-80 us here, so remembering answers halves the work of "review, then sign".
//
// Never put secret material in one of these: entries live until evicted and are not wiped.
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  /** `max` entries at most; beyond it the oldest insertions are dropped first. */
  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`BoundedMap: max must be a positive integer, got ${max}`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    else if (this.map.size >= this.max) {
      // Map iterates in insertion order: the first key is the oldest.
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
  }

  clear(): void {
    this.map.clear();
  }
}
