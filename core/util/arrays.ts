/** Splitting flat lists into consecutive groups. */

/** Start offsets of consecutive blocks of the given sizes. */
export function offsetsOf(sizes: readonly number[]): number[] {
  const out: number[] = [];
  let acc = 0;
  for (const s of sizes) {
    out.push(acc);
    acc += s;
  }
  return out;
}

/** Consecutive groups of `xs` with the given sizes. */
export function splitBySizes<T>(xs: readonly T[], sizes: readonly number[]): T[][] {
  const offs = offsetsOf(sizes);
  return sizes.map((n, i) => xs.slice(offs[i], offs[i]! + n));
}
