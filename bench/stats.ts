/** The small amount of arithmetic the benchmark tables need, kept pure so it can be tested. */

/** Median of a non-empty list (mean of the middle two for even lengths, as numpy does). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median: no samples');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** torch_s / ours_s: above 1 means we are faster. null when either side is missing or not positive. */
export function ratio(torchS: number | null, oursS: number | null): number | null {
  if (torchS === null || oursS === null || !(torchS > 0) || !(oursS > 0)) return null;
  return torchS / oursS;
}

/** Round to `digits` significant digits, so the table stays readable (null passes through). */
export function sig(x: number | null, digits = 3): number | null {
  if (x === null || !Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}

export const MiB = 1024 * 1024;

/** max |a_i − b_i|; lengths must agree. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export const maxAbs = (a: ArrayLike<number>): number => maxAbsDiff(a, new Float64Array(a.length));
