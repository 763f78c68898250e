/** Strided loops shared by the CPU kernels: one odometer over all but the last axis, a tight loop inside. */
import type { TypedArray } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';

/** Calls `row(srcOffsets..., dstOffset, n)` once per row of `shape` (the last axis is the row). */
export function forEachRow(
  shape: Shape,
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  row: (offs: number[]) => void,
): void {
  const rank = shape.length;
  const k = strides.length;
  const offs = offsets.slice();
  if (rank <= 1) {
    row(offs);
    return;
  }
  for (const d of shape) if (d === 0) return;
  const idx = new Array<number>(rank - 1).fill(0);
  for (;;) {
    row(offs);
    let d = rank - 2;
    for (; d >= 0; d--) {
      idx[d]!++;
      for (let j = 0; j < k; j++) offs[j]! += strides[j]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let j = 0; j < k; j++) offs[j]! -= strides[j]![d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** dst[dstOff + i·dstStrides] = src[srcOff + i·srcStrides] over `shape` (strides may be 0 or negative). */
export function copyStrided(
  src: TypedArray,
  srcOff: number,
  srcStrides: readonly number[],
  dst: TypedArray,
  dstOff: number,
  dstStrides: readonly number[],
  shape: Shape,
): void {
  const last = shape.length - 1;
  const n = last >= 0 ? shape[last]! : 1;
  const ss = last >= 0 ? srcStrides[last]! : 0;
  const ds = last >= 0 ? dstStrides[last]! : 0;
  forEachRow(shape, [srcStrides, dstStrides], [srcOff, dstOff], (o) => {
    let s = o[0]!;
    let t = o[1]!;
    if (ss === 1 && ds === 1) {
      dst.set(src.subarray(s, s + n), t);
      return;
    }
    for (let i = 0; i < n; i++, s += ss, t += ds) dst[t] = src[s]!;
  });
}

/** Strides of `shape` read as a broadcast of `from` (right-aligned, 0 where broadcast). */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const out = new Array<number>(to.length).fill(0);
  let acc = 1;
  for (let i = from.length - 1; i >= 0; i--) {
    const o = to.length - from.length + i;
    out[o] = from[i] === 1 && to[o] !== 1 ? 0 : acc;
    acc *= from[i]!;
  }
  return out;
}
