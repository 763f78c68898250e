/** Data-movement, reduction and contraction kernels on concrete tensors. */

import type { PadParams, SliceParams } from '../../interpreter/primitives';
import { allocate } from '../../tensor/dtype';
import { type Shape, sizeOf, stridesOf } from '../../tensor/shape';
import { ConcreteTensor } from '../../tensor/tensor';
import { broadcastStrides, copyStrided, forEachRow } from '../strided';

const withData = (x: ConcreteTensor, shape: Shape, data = allocate(x.dtype, sizeOf(shape))) =>
  new ConcreteTensor(data, shape, x.dtype);

export function expand(x: ConcreteTensor, shape: Shape): ConcreteTensor {
  const out = withData(x, shape);
  copyStrided(x.data, 0, broadcastStrides(x.shape, shape), out.data, 0, stridesOf(shape), shape);
  return out;
}

export function transpose(x: ConcreteTensor, perm: readonly number[]): ConcreteTensor {
  const st = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]!);
  const out = withData(x, shape);
  copyStrided(
    x.data,
    0,
    perm.map((p) => st[p]!),
    out.data,
    0,
    stridesOf(shape),
    shape,
  );
  return out;
}

export function slice(x: ConcreteTensor, shape: Shape, { starts, steps }: SliceParams): ConcreteTensor {
  const st = stridesOf(x.shape);
  const out = withData(x, shape);
  const off = starts.reduce((a, s, d) => a + s * st[d]!, 0);
  copyStrided(
    x.data,
    off,
    st.map((s, d) => s * steps[d]!),
    out.data,
    0,
    stridesOf(shape),
    shape,
  );
  return out;
}

export function flip(x: ConcreteTensor, axes: readonly number[]): ConcreteTensor {
  const st = stridesOf(x.shape);
  const off = axes.reduce((a, d) => a + (x.shape[d]! - 1) * st[d]!, 0);
  const out = withData(x, x.shape);
  copyStrided(
    x.data,
    off,
    st.map((s, d) => (axes.includes(d) ? -s : s)),
    out.data,
    0,
    st,
    x.shape,
  );
  return out;
}

export function pad(x: ConcreteTensor, shape: Shape, { lo, interior, value }: PadParams): ConcreteTensor {
  const out = withData(x, shape);
  if (value !== 0) out.data.fill(value);
  const st = stridesOf(shape);
  const off = lo.reduce((a, l, d) => a + l * st[d]!, 0);
  copyStrided(
    x.data,
    0,
    stridesOf(x.shape),
    out.data,
    off,
    st.map((s, d) => s * (interior[d]! + 1)),
    x.shape,
  );
  return out;
}

export function concat(xs: ConcreteTensor[], shape: Shape, axis: number): ConcreteTensor {
  const out = withData(xs[0]!, shape);
  const st = stridesOf(shape);
  let off = 0;
  for (const x of xs) {
    copyStrided(x.data, 0, stridesOf(x.shape), out.data, off * st[axis]!, st, x.shape);
    off += x.shape[axis]!;
  }
  return out;
}

/**
 * Reduce over `axes` in one pass in memory order: each input row is folded into the output elements it maps
 * to (output stride 0 along reduced axes). Accumulates in float64 and rounds once on store.
 */
export function reduce(
  x: ConcreteTensor,
  axes: readonly number[],
  init: number,
  step: ((acc: number, v: number) => number) | 'sum',
): ConcreteTensor {
  const outShape = x.shape.filter((_, i) => !axes.includes(i));
  const out = withData(x, outShape);
  const acc = new Float64Array(out.data.length).fill(init);
  const outStrides = stridesOf(outShape);
  let k = 0;
  const toOut = x.shape.map((_, d) => (axes.includes(d) ? 0 : outStrides[k++]!));
  const src = x.data;
  const rank = x.shape.length;
  const n = rank ? x.shape[rank - 1]! : 1;
  const so = rank ? toOut[rank - 1]! : 0;
  if (src.length > 0)
    forEachRow(x.shape, [stridesOf(x.shape), toOut], [0, 0], (o) => {
      const i = o[0]!;
      const t = o[1]!;
      if (step === 'sum') {
        if (so === 0) {
          let a = acc[t]!;
          for (let j = 0; j < n; j++) a += src[i + j]!;
          acc[t] = a;
        } else for (let j = 0; j < n; j++) acc[t + j]! += src[i + j]!;
      } else if (so === 0) {
        let a = acc[t]!;
        for (let j = 0; j < n; j++) a = step(a, src[i + j]!);
        acc[t] = a;
      } else for (let j = 0; j < n; j++) acc[t + j] = step(acc[t + j]!, src[i + j]!);
    });
  out.data.set(acc);
  return out;
}

export function sum(x: ConcreteTensor, axes: readonly number[]): ConcreteTensor {
  return reduce(x, axes, 0, 'sum');
}

export function matmul(a: ConcreteTensor, b: ConcreteTensor): ConcreteTensor {
  const r = a.shape.length;
  const [M, K, N] = [a.shape[r - 2]!, a.shape[r - 1]!, b.shape[r - 1]!];
  const batch = sizeOf(a.shape.slice(0, -2));
  const out = withData(a, [...a.shape.slice(0, -1), N]);
  const [A, B, C] = [a.data, b.data, out.data];
  const acc = new Float64Array(N);
  for (let p = 0; p < batch; p++) {
    const ao = p * M * K;
    const bo = p * K * N;
    const co = p * M * N;
    for (let i = 0; i < M; i++) {
      acc.fill(0);
      for (let k = 0; k < K; k++) {
        const aik = A[ao + i * K + k]!;
        const bk = bo + k * N;
        for (let j = 0; j < N; j++) acc[j]! += aik * B[bk + j]!;
      }
      C.set(acc, co + i * N);
    }
  }
  return out;
}

function alongAxis(shape: Shape, axis: number) {
  return { outer: sizeOf(shape.slice(0, axis)), inner: sizeOf(shape.slice(axis + 1)) };
}

function checkIndex(op: string, i: number, n: number): number {
  if (i < 0 || i >= n) throw new Error(`${op}: index ${i} is out of range for an axis of size ${n}`);
  return i;
}

export function gather(x: ConcreteTensor, idx: ConcreteTensor, axis: number): ConcreteTensor {
  const { outer, inner } = alongAxis(idx.shape, axis);
  const n = x.shape[axis]!;
  const m = idx.shape[axis]!;
  const out = withData(x, idx.shape);
  const [X, I, O] = [x.data, idx.data, out.data];
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++)
      for (let i = 0; i < inner; i++) {
        const t = (o * m + j) * inner + i;
        O[t] = X[(o * n + checkIndex('gather', I[t]!, n)) * inner + i]!;
      }
  return out;
}

export function scatterAdd(
  base: ConcreteTensor,
  idx: ConcreteTensor,
  upd: ConcreteTensor,
  axis: number,
): ConcreteTensor {
  const { outer, inner } = alongAxis(idx.shape, axis);
  const n = base.shape[axis]!;
  const m = idx.shape[axis]!;
  const out = withData(base, base.shape, base.data.slice());
  const [I, U, O] = [idx.data, upd.data, out.data];
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++)
      for (let i = 0; i < inner; i++) {
        const t = (o * m + j) * inner + i;
        O[(o * n + checkIndex('scatterAdd', I[t]!, n)) * inner + i]! += U[t]!;
      }
  return out;
}
