/**
 * Index maps for the structural rules of sparsity detection. The rule of a data-movement primitive is the
 * primitive itself applied to element numbers: slicing an int32 "iota" tells, for every output element,
 * which input element it came from. So the maps come from the reference kernels and cannot disagree with
 * them. They are host-side bookkeeping, so they always run on the CPU kernels, whatever backend computes
 * values. Maps are cached per params object (a scan body reuses its equations at every step).
 */

import { cpuBackend } from '../backend/cpu/index';
import type { Primitive } from '../interpreter/primitive';
import { P } from '../interpreter/primitives';
import { fmt, type Shape, shapesEqual, sizeOf } from '../tensor/shape';
import { ConcreteTensor, type Tensor } from '../tensor/tensor';

const exec = (prim: Primitive<any>, xs: ConcreteTensor[], params: unknown): Int32Array =>
  cpuBackend.execute(prim, xs, params)[0]!.data as Int32Array;

/** Element numbers offset..offset+size-1 laid out in `shape`. */
export function iota(shape: Shape, offset = 0): ConcreteTensor {
  const data = new Int32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = i + offset;
  return new ConcreteTensor(data, shape, 'int32');
}

const byParams = new WeakMap<object, Map<string, Int32Array>>();
const byKey = new Map<string, Int32Array>();

function cached(params: object | null, key: string, make: () => Int32Array): Int32Array {
  let table = byKey;
  if (params !== null) {
    table = byParams.get(params) ?? new Map();
    byParams.set(params, table);
  }
  let map = table.get(key);
  if (!map) {
    if (table === byKey && byKey.size > 512) byKey.clear();
    map = make();
    table.set(key, map);
  }
  return map;
}

/** For a one-input data-movement primitive: the source element of each output element (-1: none, as padding). */
export function movementMap(prim: Primitive<any>, shape: Shape, params: object): Int32Array {
  return cached(params, `${prim.name}${fmt(shape)}`, () =>
    exec(prim, [iota(shape)], prim === P.pad ? { ...params, value: -1 } : params),
  );
}

/** concat: the source of each output element as [input k, element of input k]. */
export function concatMap(shapes: readonly Shape[], params: { axis: number }): [Int32Array, Int32Array] {
  const key = shapes.map(fmt).join('');
  const offsets: number[] = [];
  let total = 0;
  for (const s of shapes) {
    offsets.push(total);
    total += sizeOf(s);
  }
  const global = cached(params, `concat${key}`, () =>
    exec(
      P.concat,
      shapes.map((s, k) => iota(s, offsets[k]!)),
      params,
    ),
  );
  const which = new Int32Array(global.length);
  const local = new Int32Array(global.length);
  for (let e = 0; e < global.length; e++) {
    const g = global[e]!;
    let k = 0;
    while (k + 1 < offsets.length && offsets[k + 1]! <= g) k++;
    which[e] = k;
    local[e] = g - offsets[k]!;
  }
  return [which, local];
}

/** NumPy broadcasting of `from` to `to`: the source element of each element of `to`; null when shapes agree. */
export function broadcastMap(from: Shape, to: Shape): Int32Array | null {
  if (shapesEqual(from, to)) return null;
  return cached(null, `bc${fmt(from)}${fmt(to)}`, () => {
    const padded = [...Array(to.length - from.length).fill(1), ...from];
    return exec(P.expand, [iota(padded)], { shape: to });
  });
}

/** For a reduction over `axes`: the output element each input element folds into. */
export function reduceMap(shape: Shape, axes: readonly number[]): Int32Array {
  return cached(null, `red${fmt(shape)}${fmt(axes)}`, () => {
    const keep = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return exec(P.expand, [iota(keep)], { shape });
  });
}

/** take_along_axis of element numbers: where each gathered element comes from (or scattered one goes to). */
export function alongAxisMap(shape: Shape, idx: ConcreteTensor, axis: number): Int32Array {
  return exec(P.gather, [iota(shape), idx], { axis });
}

/** A concrete value broadcast to `shape` as a flat array, or null when the value is not known. */
export function knownAt(value: Tensor | null, shape: Shape): ArrayLike<number> | null {
  if (!(value instanceof ConcreteTensor)) return null;
  if (shapesEqual(value.shape, shape)) return value.data;
  const padded = [...Array(shape.length - value.ndim).fill(1), ...value.shape];
  const x = new ConcreteTensor(value.data, padded, value.dtype);
  return cpuBackend.execute(P.expand, [x], { shape })[0]!.data;
}
