/**
 * A string → dense index (0, 1, 2, …) map keyed by UTF-8 bytes, for dictionary-encoding ids
 * on the ingest hot path: an id can be looked up straight from the bytes of a read buffer
 * (FNV-1a hash, open addressing, keys copied into one arena), with no string made per row.
 * Only an id seen for the first time is decoded, and listed in `fresh` for the store.
 * Strings and bytes share one key space, so `indexOfString(s)` and the bytes of `s` agree.
 */
export class ByteDictionary {
  /**
   * Open-addressing table, four ints per slot: hash, key start in the arena, key length and
   * entry index + 1 (0 = empty). Interleaved so that a probe touches one cache line before
   * the key bytes; kept at most half full.
   */
  private table = new Int32Array(4 << 12);
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  size = 0;
  /** Strings added since the last {@link takeFresh}, in index order. */
  private fresh: string[] = [];

  /** Index of the bytes `src[a..b)`, which must be valid UTF-8 (the caller checks ASCII). */
  indexOfBytes(src: Uint8Array, a: number, b: number): number {
    let h = 0x811c9dc5;
    for (let k = a; k < b; k++) h = Math.imul(h ^ src[k], 0x01000193);
    const t = this.table;
    const mask = (t.length >> 2) - 1;
    const n = b - a;
    for (let p = h & mask; ; p = (p + 1) & mask) {
      const o = p << 2;
      const e = t[o + 3] - 1;
      if (e < 0) return this.add(o, h, src, a, b);
      if (t[o] !== h || t[o + 2] !== n) continue;
      const s = t[o + 1];
      const arena = this.arena;
      let k = 0;
      while (k < n && arena[s + k] === src[a + k]) k++;
      if (k === n) return e;
    }
  }

  /** Index of a string (the slow path: quoted fields, JSON Lines, non-ASCII ids). */
  indexOfString(s: string): number {
    const bytes = Buffer.from(s, 'utf8');
    return this.indexOfBytes(bytes, 0, bytes.length);
  }

  /** The strings first seen since the previous call. */
  takeFresh(): string[] {
    const f = this.fresh;
    this.fresh = [];
    return f;
  }

  private add(o: number, h: number, src: Uint8Array, a: number, b: number): number {
    const e = this.size++;
    if (this.used + (b - a) > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.used + (b - a)));
      next.set(this.arena.subarray(0, this.used));
      this.arena = next;
    }
    this.arena.set(src.subarray(a, b), this.used);
    const t = this.table;
    t[o] = h;
    t[o + 1] = this.used;
    t[o + 2] = b - a;
    t[o + 3] = e + 1;
    this.used += b - a;
    this.fresh.push(Buffer.from(src.buffer, src.byteOffset + a, b - a).toString('utf8'));
    if (this.size * 2 > t.length >> 2) this.rehash();
    return e;
  }

  private rehash(): void {
    const old = this.table;
    const t = new Int32Array(old.length * 2);
    const mask = (t.length >> 2) - 1;
    for (let q = 0; q < old.length; q += 4) {
      if (old[q + 3] === 0) continue;
      let p = old[q] & mask;
      while (t[(p << 2) + 3] !== 0) p = (p + 1) & mask;
      t.set(old.subarray(q, q + 4), p << 2);
    }
    this.table = t;
  }
}
