/**
 * NumPy-style indexing without mutation: `x.get(0, '1:-1', '::2')` reads, `x.at(lv, '1:-1').set(v)` returns a
 * new tensor with that region replaced (the seed's `I[lv, index] = ...`), `.add(v)` adds into it.
 */

import { P } from '../interpreter/primitives';
import { bind1 } from '../interpreter/trace';
import { fmt, normalizeAxis } from '../tensor/shape';
import { ConcreteTensor, type Tensor } from '../tensor/tensor';
import { full } from './creation';
import { add, asTensor, cast, type TensorLike, where } from './elementwise';
import { clampRange, expand, flip, reshape } from './shape';

/** A Python slice `start:stop:step` as an object (see {@link s}). */
export interface Slice {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/** number: pick one index (drops the axis); Slice or 'a:b:c': a range; '...': the remaining axes; null: new axis. */
export type IndexSpec = number | string | Slice | null;

/** A slice object, like Python's slice(start, stop, step): `x.get(s(1, -1))` equals `x.get('1:-1')`. */
export const s = (start?: number | null, stop?: number | null, step?: number | null): Slice => ({
  start,
  stop,
  step,
});

function parseSlice(text: string): Slice {
  const parts = text.split(':');
  const num = (p: string | undefined) => {
    if (p === undefined || p.trim() === '') return null;
    const v = Number(p);
    if (!Number.isInteger(v)) throw new Error(`index: '${text}' is not a slice like '1:-1' or '::2'`);
    return v;
  };
  if (parts.length < 2 || parts.length > 3)
    throw new Error(`index: '${text}' is not a slice like '1:-1' or '::2'`);
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

/** Per axis: a positive-step region (start, count, step), whether it is reversed, whether the axis is dropped. */
interface AxisRegion {
  start: number;
  count: number;
  step: number;
  reversed: boolean;
  drop: boolean;
}

interface Resolved {
  regions: AxisRegion[];
  /** Where new unit axes go in the result (positions in the kept-axes list). */
  newAxes: number[];
}

function resolve(x: Tensor, specs: readonly IndexSpec[]): Resolved {
  const ellipses = specs.filter((sp) => sp === '...').length;
  if (ellipses > 1) throw new Error(`index: at most one '...' is allowed`);
  const used = specs.filter((sp) => sp !== null && sp !== '...').length;
  if (used > x.ndim) throw new Error(`index: ${used} indices for a tensor of shape ${fmt(x.shape)}`);
  const expanded: IndexSpec[] = [];
  for (const sp of specs) {
    if (sp === '...') for (let i = 0; i < x.ndim - used; i++) expanded.push(':');
    else expanded.push(sp);
  }
  while (expanded.filter((sp) => sp !== null).length < x.ndim) expanded.push(':');
  const regions: AxisRegion[] = [];
  const newAxes: number[] = [];
  let axis = 0;
  for (const sp of expanded) {
    if (sp === null) {
      newAxes.push(regions.filter((r) => !r.drop).length + newAxes.length);
      continue;
    }
    const n = x.shape[axis]!;
    if (typeof sp === 'number') {
      if (!Number.isInteger(sp) || sp < -n || sp >= n)
        throw new Error(`index: ${sp} is out of range for axis ${axis} of size ${n} in ${fmt(x.shape)}`);
      regions.push({ start: sp < 0 ? sp + n : sp, count: 1, step: 1, reversed: false, drop: true });
    } else {
      const sl = typeof sp === 'string' ? parseSlice(sp) : sp;
      const step = sl.step ?? 1;
      if (!Number.isInteger(step) || step === 0)
        throw new Error(`index: slice step must be a non-zero integer, got ${step}`);
      if (step > 0) {
        const [a, b] = clampRange(n, sl.start ?? undefined, sl.stop ?? undefined, step);
        regions.push({ start: a, count: Math.ceil((b - a) / step), step, reversed: false, drop: false });
      } else {
        // Python semantics for negative steps, then the same region walked forwards.
        const norm = (i: number | null | undefined, dflt: number) =>
          i === undefined || i === null ? dflt : Math.min(n - 1, Math.max(-1, i < 0 ? i + n : i));
        const a = norm(sl.start, n - 1);
        const b = norm(sl.stop, -1);
        const count = Math.max(0, Math.ceil((a - b) / -step));
        regions.push({ start: a + (count - 1) * step, count, step: -step, reversed: true, drop: false });
      }
    }
    axis++;
  }
  return { regions, newAxes };
}

/** Read a region: `x.get(0, '1:-1')`, `x.get('...', s(null, null, -1))`. */
export function get(x: Tensor, ...specs: IndexSpec[]): Tensor {
  const { regions, newAxes } = resolve(x, specs);
  const full = regions.every((r, d) => r.start === 0 && r.count === x.shape[d] && r.step === 1);
  let out = full
    ? x
    : bind1(P.slice, [x], {
        starts: regions.map((r) => r.start),
        stops: regions.map((r) => r.start + (r.count - 1) * r.step + 1),
        steps: regions.map((r) => r.step),
      });
  const rev = regions.flatMap((r, d) => (r.reversed && r.count > 1 ? [d] : []));
  if (rev.length) out = flip(out, rev);
  const kept = regions.flatMap((r) => (r.drop ? [] : [r.count]));
  for (const p of newAxes) kept.splice(p, 0, 1);
  return reshape(out, kept);
}

/** `x.at(...).set(v)` / `.add(v)`: functional region updates, differentiable in x and v. */
export class IndexUpdate {
  constructor(
    private readonly x: Tensor,
    private readonly specs: readonly IndexSpec[],
  ) {}

  /** v placed into a zero tensor of x's shape, and the region mask. */
  private scatter(v: TensorLike): [Tensor, Tensor] {
    const { regions, newAxes } = resolve(this.x, this.specs);
    if (newAxes.length) throw new Error('at(): new axes (null) cannot be assigned to');
    const regionShape = regions.map((r) => r.count);
    const kept = regions.flatMap((r) => (r.drop ? [] : [r.count]));
    let val = cast(asTensor(v, this.x.dtype), this.x.dtype);
    try {
      val = expand(val, kept);
    } catch {
      throw new Error(
        `at(): value of shape ${fmt(val.shape)} does not fit the region ${fmt(kept)} of ${fmt(this.x.shape)}`,
      );
    }
    val = reshape(val, regionShape);
    const rev = regions.flatMap((r, d) => (r.reversed && r.count > 1 ? [d] : []));
    if (rev.length) val = flip(val, rev);
    const params = {
      lo: regions.map((r) => r.start),
      hi: regions.map(
        (r, d) => this.x.shape[d]! - (r.count ? r.start + (r.count - 1) * r.step + 1 : r.start),
      ),
      interior: regions.map((r) => r.step - 1),
    };
    const placed = bind1(P.pad, [val], { ...params, value: 0 });
    const mask = bind1(P.pad, [full(regionShape, 1, { dtype: 'bool' })], { ...params, value: 0 });
    return [placed, mask];
  }

  /** x with the region replaced by v (broadcast to the region). */
  set(v: TensorLike): Tensor {
    const [placed, mask] = this.scatter(v);
    return where(mask, placed, this.x);
  }

  /** x with v added into the region. */
  add(v: TensorLike): Tensor {
    return add(this.x, this.scatter(v)[0]);
  }
}

/** `at(x, ...specs).set(v)`: JAX's `x.at[...].set(v)`, a new tensor with the region replaced. */
export const at = (x: Tensor, ...specs: IndexSpec[]) => new IndexUpdate(x, specs);

function checkIndices(op: string, idx: TensorLike): Tensor {
  const t = asTensor(idx, 'int32');
  if (t.dtype !== 'int32') throw new Error(`${op}: indices must be an int32 tensor, got ${t.dtype}`);
  return t;
}

/** Concrete indices are range-checked here, naming the op and the shape; traced ones by the kernel. */
function checkRange(op: string, idx: Tensor, x: Tensor, axis: number): void {
  if (!(idx instanceof ConcreteTensor)) return;
  const n = x.shape[axis]!;
  const bad = idx.data.find((i) => i < 0 || i >= n);
  if (bad !== undefined)
    throw new Error(`${op}: index ${bad} is out of range for axis ${axis} of size ${n} in ${fmt(x.shape)}`);
}

/** torch.index_select: pick entries of one axis by a 1-D index tensor. */
export function indexSelect(x: Tensor, axis: number, indices: TensorLike): Tensor {
  const a = normalizeAxis('index_select', axis, x.ndim);
  const idx = checkIndices('index_select', indices);
  checkRange('index_select', idx, x, a);
  if (idx.ndim !== 1) throw new Error(`index_select: indices must be 1-D, got shape ${fmt(idx.shape)}`);
  const outShape = [...x.shape];
  outShape[a] = idx.shape[0]!;
  const shaped = reshape(
    idx,
    x.shape.map((_, d) => (d === a ? idx.shape[0]! : 1)),
  );
  return bind1(P.gather, [x, expand(shaped, outShape)], { axis: a });
}

/** torch.gather: out[i][j] = x[idx[i][j]][j] for axis 0 (idx may be smaller than x off the axis). */
export function gather(x: Tensor, axis: number, indices: TensorLike): Tensor {
  const a = normalizeAxis('gather', axis, x.ndim);
  const idx = checkIndices('gather', indices);
  checkRange('gather', idx, x, a);
  if (idx.ndim !== x.ndim)
    throw new Error(`gather: indices ${fmt(idx.shape)} must have the rank of ${fmt(x.shape)}`);
  const region = x.shape.map((d, i) => (i === a ? d : idx.shape[i]!));
  if (region.some((d, i) => d > x.shape[i]!))
    throw new Error(`gather: indices ${fmt(idx.shape)} are larger than ${fmt(x.shape)} off axis ${a}`);
  const src = region.every((d, i) => d === x.shape[i])
    ? x
    : bind1(P.slice, [x], { starts: region.map(() => 0), stops: region, steps: region.map(() => 1) });
  return bind1(P.gather, [src, idx], { axis: a });
}

/** torch.scatter_add (functional): x with `src` added at `indices` along `axis`. */
export function scatterAdd(x: Tensor, axis: number, indices: TensorLike, src: Tensor): Tensor {
  const a = normalizeAxis('scatter_add', axis, x.ndim);
  const idx = checkIndices('scatter_add', indices);
  checkRange('scatter_add', idx, x, a);
  const [b, u] = [x, cast(src, x.dtype)];
  return bind1(P.scatterAdd, [b, idx, u], { axis: a });
}
