/**
 * Dependency sets for sparsity detection: one bitset over the input elements per tensor element, packed in
 * a single Uint32Array (`words` words per element). A BitRows is never mutated once a rule has returned it,
 * so rules that move no data (reshape, unary ops) share it instead of copying.
 */

export class BitRows {
  constructor(
    readonly rows: number,
    readonly words: number,
    readonly bits: Uint32Array = new Uint32Array(rows * words),
  ) {}

  /** Row e holds the single bit `offset + e`: the dependency sets of fresh inputs. */
  static identity(rows: number, words: number, offset: number): BitRows {
    const b = new BitRows(rows, words);
    for (let e = 0; e < rows; e++) {
      const bit = offset + e;
      b.bits[e * words + (bit >>> 5)] = 1 << (bit & 31);
    }
    return b;
  }

  /** Rows [from, from + count) without a copy. */
  view(from: number, count: number): BitRows {
    return new BitRows(count, this.words, this.bits.subarray(from * this.words, (from + count) * this.words));
  }

  isEmpty(): boolean {
    const b = this.bits;
    for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
    return true;
  }

  /** The set bits of row e, ascending. */
  rowBits(e: number, out: number[] = []): number[] {
    const W = this.words;
    for (let w = 0; w < W; w++) {
      let v = this.bits[e * W + w]!;
      while (v !== 0) {
        const low = v & -v;
        out.push(w * 32 + 31 - Math.clz32(low));
        v ^= low;
      }
    }
    return out;
  }
}

/** Same sets; null stands for "no dependence" and equals an all-empty BitRows. */
export function sameDeps(a: BitRows | null, b: BitRows | null): boolean {
  if (a === b) return true;
  if (a === null) return b!.isEmpty();
  if (b === null) return a.isEmpty();
  const x = a.bits;
  const y = b.bits;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * dst row e |= src row map[e] for every e with map[e] >= 0 and (no mask or mask[e] !== 0). With `map` null
 * the rows line up one to one.
 */
export function orGather(
  dst: BitRows,
  src: BitRows,
  map: Int32Array | null,
  mask: ArrayLike<number> | null = null,
): void {
  const W = dst.words;
  const d = dst.bits;
  const s = src.bits;
  if (map === null && mask === null) {
    for (let i = 0; i < d.length; i++) d[i]! |= s[i]!;
    return;
  }
  for (let e = 0; e < dst.rows; e++) {
    const from = map === null ? e : map[e]!;
    if (from < 0 || (mask !== null && mask[e] === 0)) continue;
    const so = from * W;
    const dof = e * W;
    for (let w = 0; w < W; w++) d[dof + w]! |= s[so + w]!;
  }
}

/** dst row map[e] |= src row e (for map[e] >= 0 and mask[e] !== 0): many-to-one, as in reductions. */
export function orScatter(
  dst: BitRows,
  src: BitRows,
  map: Int32Array,
  mask: ArrayLike<number> | null = null,
): void {
  const W = dst.words;
  const d = dst.bits;
  const s = src.bits;
  for (let e = 0; e < src.rows; e++) {
    const to = map[e]!;
    if (to < 0 || (mask !== null && mask[e] === 0)) continue;
    const so = e * W;
    const dof = to * W;
    for (let w = 0; w < W; w++) d[dof + w]! |= s[so + w]!;
  }
}

/** Out row e = src row map[e] (empty where map[e] < 0). */
export function gatherRows(src: BitRows, map: Int32Array): BitRows {
  const out = new BitRows(map.length, src.words);
  const W = src.words;
  for (let e = 0; e < map.length; e++) {
    const from = map[e]!;
    if (from >= 0) out.bits.set(src.bits.subarray(from * W, (from + 1) * W), e * W);
  }
  return out;
}
