/**
 * Device layout of an array: gpu.js kernels have at most three output axes, so an array of any rank is
 * folded into ≤ 3 groups of consecutive non-unit dimensions (C order is kept, so the flat data is the same).
 * Every index a kernel computes stays below 2^24 per group: gpu.js evaluates index locals in float32, which
 * is exact only up to there, while the flat offset it derives from [z][y][x] is integer arithmetic.
 */
import type { Shape } from '../tensor/shape';

export const MAX_GROUP = 1 << 24;

export interface Layout {
  /** The array's shape. */
  readonly shape: Shape;
  /** Dimension indices per group, outermost group first (size-1 dimensions are left out). */
  readonly groups: readonly (readonly number[])[];
  /** Per dimension: its stride inside its group (0 for size-1 dimensions). */
  readonly strides: readonly number[];
  /** gpu.js output/argument dimensions, innermost first: [X], [X, Y] or [X, Y, Z]. */
  readonly dims: readonly number[];
  /** Logical extent of the innermost group; dims[0] may be larger (rows padded to a multiple of 4). */
  readonly width: number;
}

export class JitUnsupported extends Error {
  override name = 'JitUnsupported';
}

export function layoutOf(shape: Shape): Layout {
  if (shape.some((d) => d === 0))
    throw new JitUnsupported(`empty arrays (shape [${shape}]) are not compiled`);
  const live = shape.map((_, i) => i).filter((i) => shape[i]! !== 1);
  let groups: number[][];
  if (live.length <= 3) groups = live.map((d) => [d]);
  else groups = [live.slice(0, live.length - 2), [live[live.length - 2]!], [live[live.length - 1]!]];
  const strides = shape.map(() => 0);
  const dims: number[] = [];
  for (const g of groups) {
    let s = 1;
    for (let j = g.length - 1; j >= 0; j--) {
      strides[g[j]!] = s;
      s *= shape[g[j]!]!;
    }
    if (s >= MAX_GROUP)
      throw new JitUnsupported(
        `an array of shape [${shape}] folds into a kernel axis of ${s} elements; gpu.js indexes exactly only below 2^24 (split the batch)`,
      );
    dims.unshift(s);
  }
  if (dims.length === 0) dims.push(1);
  const width = dims[0]!;
  // gpu.js runs a kernel as whole SIMD quads only when its rows are a multiple of 4 long; otherwise it
  // dispatches every row separately with a scalar tail. Pad rows of single-dimension groups.
  if (dims.length > 1 && groups[groups.length - 1]!.length === 1 && width % 4 !== 0)
    dims[0] = width + 4 - (width % 4);
  return { shape, groups, strides, dims, width };
}

export const isPadded = (l: Layout): boolean => l.dims[0] !== l.width;

/** C-order data → the layout's padded rows. */
export function padRows(l: Layout, data: Float32Array): Float32Array {
  if (!isPadded(l)) return data;
  const w = l.width;
  const p = l.dims[0]!;
  const rows = data.length / w;
  const out = new Float32Array(rows * p);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * w, (r + 1) * w), r * p);
  return out;
}

/** The layout's padded rows → C-order data. */
export function unpadRows(l: Layout, data: Float32Array): Float32Array {
  if (!isPadded(l)) return data;
  const w = l.width;
  const p = l.dims[0]!;
  const rows = data.length / p;
  const out = new Float32Array(rows * w);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * p, r * p + w), r * w);
  return out;
}
