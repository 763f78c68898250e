/** Shape ops: views in PyTorch, copies here (concrete tensors are immutable, so the difference cannot be seen). */

import { P } from '../interpreter/primitives';
import { bind1 } from '../interpreter/trace';
import { broadcastShapes, fmt, normalizeAxis, resolveShape, type Shape, shapesEqual } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { asTensor, type TensorLike, unify } from './elementwise';

/** x with a new shape of the same size; one entry may be −1 (inferred). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = resolveShape('reshape', x.shape, shape);
  return shapesEqual(target, x.shape) ? x : bind1(P.reshape, [x], { shape: target });
}

/** x as a 1-D tensor. */
export const flatten = (x: Tensor) => reshape(x, [-1]);

/** broadcast_to / expand: -1 keeps a dimension; new dimensions go in front. */
export function expand(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor(x);
  const off = shape.length - t.ndim;
  if (off < 0) throw new Error(`expand: cannot expand ${fmt(t.shape)} to the shorter shape ${fmt(shape)}`);
  const target = shape.map((d, i) => (d === -1 ? (i >= off ? t.shape[i - off]! : -1) : d));
  if (target.some((d) => d < 0))
    throw new Error(`expand: -1 is not allowed for a new leading dimension in ${fmt(shape)}`);
  if (shapesEqual(target, t.shape)) return t;
  return bind1(P.expand, [t], { shape: target });
}
/** torch.broadcast_to: the same as {@link expand}. */
export const broadcastTo = expand;

/** torch.broadcast_tensors: every tensor expanded to the common broadcast shape. */
export function broadcastTensors(...xs: Tensor[]): Tensor[] {
  const shape = broadcastShapes('broadcast_tensors', ...xs.map((x) => x.shape));
  return xs.map((x) => expand(x, shape));
}

/** torch.permute: the axes of x reordered (`perm[i]` is the source of axis i). */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const p = perm.map((a) => normalizeAxis('permute', a, x.ndim));
  if (p.length !== x.ndim || new Set(p).size !== p.length)
    throw new Error(
      `permute: ${JSON.stringify(perm)} is not a permutation of the ${x.ndim} axes of ${fmt(x.shape)}`,
    );
  return p.every((a, i) => a === i) ? x : bind1(P.transpose, [x], { perm: p });
}

/** Swap two axes (the last two by default, as `.mT`). */
export function transpose(x: Tensor, a = -2, b = -1): Tensor {
  const perm = [...x.shape.keys()];
  const i = normalizeAxis('transpose', a, x.ndim);
  const j = normalizeAxis('transpose', b, x.ndim);
  [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  return permute(x, perm);
}

/** torch.movedim: axis `from` moved to position `to`, the others keeping their order. */
export function movedim(x: Tensor, from: number, to: number): Tensor {
  const f = normalizeAxis('movedim', from, x.ndim);
  const t = normalizeAxis('movedim', to, x.ndim);
  if (f === t) return x;
  const perm = [...x.shape.keys()].filter((a) => a !== f);
  perm.splice(t, 0, f);
  return permute(x, perm);
}

/** x with a new axis of size 1 at `axis`. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('unsqueeze', axis, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** x without its size-1 axes (or only `axis`, when it has size 1). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const a = normalizeAxis('squeeze', axis, x.ndim);
  return x.shape[a] === 1
    ? reshape(
        x,
        x.shape.filter((_, i) => i !== a),
      )
    : x;
}

/** torch.Tensor.repeat: tile along each axis (extra leading counts add axes). */
export function repeat(x: Tensor, ...counts: number[]): Tensor {
  if (counts.length < x.ndim)
    throw new Error(
      `repeat: ${counts.length} counts given for a tensor of rank ${x.ndim}; give at least ${x.ndim}`,
    );
  const base = reshape(x, [...Array(counts.length - x.ndim).fill(1), ...x.shape]);
  const inter = base.shape.flatMap((d, i) => [counts[i]!, d]);
  const tiled = expand(
    reshape(
      base,
      base.shape.flatMap((d) => [1, d]),
    ),
    inter,
  );
  return reshape(
    tiled,
    base.shape.map((d, i) => d * counts[i]!),
  );
}

/** torch.flip: x reversed along `axes`. */
export function flip(x: Tensor, axes: number | readonly number[]): Tensor {
  const list = (typeof axes === 'number' ? [axes] : axes).map((a) => normalizeAxis('flip', a, x.ndim));
  return list.length ? bind1(P.flip, [x], { axes: [...new Set(list)].sort() }) : x;
}

/** torch.cat: tensors joined along an existing axis (dtypes promoted). */
export function cat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error('cat: needs at least one tensor');
  const ts = unify(xs);
  const a = normalizeAxis('cat', axis, ts[0]!.ndim);
  const parts = ts.filter((t) => t.shape[a] !== 0);
  if (parts.length === 1) return parts[0]!;
  return bind1(P.concat, parts.length ? parts : ts, { axis: a });
}

/** torch.stack: tensors of one shape joined along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error('stack: needs at least one tensor');
  const first = xs[0]!.shape;
  for (const x of xs)
    if (!shapesEqual(x.shape, first))
      throw new Error(
        `stack: all tensors must have one shape, got ${xs.map((t) => fmt(t.shape)).join(', ')}`,
      );
  const a = normalizeAxis('stack', axis, first.length + 1);
  return cat(
    xs.map((x) => unsqueeze(x, a)),
    a,
  );
}

/** Positive-step slice of one axis with Python semantics for negative and out-of-range bounds. */
export function sliceAxis(x: Tensor, axis: number, start?: number, stop?: number, step = 1): Tensor {
  const a = normalizeAxis('slice', axis, x.ndim);
  const [s, e] = clampRange(x.shape[a]!, start, stop, step);
  const starts = x.shape.map(() => 0);
  const stops = [...x.shape];
  const steps = x.shape.map(() => 1);
  starts[a] = s;
  stops[a] = e;
  steps[a] = step;
  if (s === 0 && e === x.shape[a] && step === 1) return x;
  return bind1(P.slice, [x], { starts, stops, steps });
}

/** Python slice bounds for a positive step, clamped into [0, n]. */
export function clampRange(
  n: number,
  start: number | undefined,
  stop: number | undefined,
  step: number,
): [number, number] {
  if (!Number.isInteger(step) || step <= 0)
    throw new Error(`slice: step must be a positive integer here, got ${step}`);
  const norm = (i: number | undefined, dflt: number) =>
    i === undefined || i === null ? dflt : Math.min(n, Math.max(0, i < 0 ? i + n : i));
  const s = norm(start, 0);
  return [s, Math.max(s, norm(stop, n))];
}

/** How {@link pad} fills: 'constant' with a value, 'circular' by wrapping around. */
export type PadMode = 'constant' | 'circular';

/**
 * F.pad: `pads` lists (before, after) pairs starting from the LAST axis, as PyTorch does.
 * 'circular' wraps around (periodic ghost cells); 'constant' fills with `value`.
 */
export function pad(x: Tensor, pads: readonly number[], mode: PadMode = 'constant', value = 0): Tensor {
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim)
    throw new Error(
      `pad: needs (before, after) pairs for at most ${x.ndim} axes, got ${JSON.stringify(pads)}`,
    );
  if (pads.some((p) => !Number.isInteger(p) || p < 0))
    throw new Error(`pad: paddings must be non-negative integers, got ${JSON.stringify(pads)}`);
  let out = x;
  for (let k = 0; k < pads.length / 2; k++) {
    const axis = x.ndim - 1 - k;
    const [before, after] = [pads[2 * k]!, pads[2 * k + 1]!];
    if (before === 0 && after === 0) continue;
    if (mode === 'circular') {
      const n = out.shape[axis]!;
      if (before > n || after > n)
        throw new Error(
          `pad: circular padding (${before}, ${after}) is larger than axis ${axis} of size ${n}`,
        );
      const parts = [sliceAxis(out, axis, n - before, n), out, sliceAxis(out, axis, 0, after)];
      out = cat(
        parts.filter((p) => p.shape[axis] !== 0),
        axis,
      );
    } else {
      const zeros = out.shape.map(() => 0);
      const lo = [...zeros];
      const hi = [...zeros];
      lo[axis] = before;
      hi[axis] = after;
      out = bind1(P.pad, [out], { lo, hi, interior: zeros, value });
    }
  }
  return out;
}

export type { Shape };

/**
 * torch.roll: entries shifted by `shifts` along `axes`, wrapping around (a slice and a concat per axis);
 * without axes, over the flattened tensor, the shape kept.
 */
export function roll(
  x: Tensor,
  shifts: number | readonly number[],
  axes?: number | readonly number[],
): Tensor {
  const sh = typeof shifts === 'number' ? [shifts] : [...shifts];
  if (sh.some((k) => !Number.isInteger(k)))
    throw new Error(`roll: shifts must be integers, got ${JSON.stringify(shifts)}`);
  if (axes === undefined) {
    if (sh.length !== 1)
      throw new Error(
        `roll: without axes give one shift (for the flattened tensor), got ${JSON.stringify(shifts)}`,
      );
    return reshape(roll(reshape(x, [-1]), sh[0]!, 0), x.shape);
  }
  const ax = typeof axes === 'number' ? [axes] : [...axes];
  if (ax.length !== sh.length)
    throw new Error(`roll: ${sh.length} shift(s) for ${ax.length} axis(es); give one shift per axis`);
  let out = x;
  ax.forEach((axis, k) => {
    const a = normalizeAxis('roll', axis, x.ndim);
    const n = out.shape[a]!;
    const m = n === 0 ? 0 : ((sh[k]! % n) + n) % n;
    if (m !== 0) out = cat([sliceAxis(out, a, n - m, n), sliceAxis(out, a, 0, n - m)], a);
  });
  return out;
}
