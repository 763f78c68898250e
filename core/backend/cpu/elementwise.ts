/** Elementwise CPU kernels with NumPy broadcasting; float32 results round on store, as float32 hardware does. */
import { allocate, type DType, type TypedArray } from '../../tensor/dtype';
import { type Shape, sizeOf } from '../../tensor/shape';
import { ConcreteTensor } from '../../tensor/tensor';
import { broadcastStrides, forEachRow } from '../strided';

type Fn1 = (x: number) => number;
type Fn2 = (x: number, y: number) => number;

export function mapUnary(x: ConcreteTensor, f: Fn1, outDtype: DType = x.dtype): ConcreteTensor {
  const src = x.data;
  const out = allocate(outDtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]!);
  return new ConcreteTensor(out, x.shape, outDtype);
}

/** Negation is on every backward path (sub, div): an inline loop, not a call per element. */
export function negate(x: ConcreteTensor): ConcreteTensor {
  const src = x.data;
  const out = allocate(x.dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = -src[i]!;
  return new ConcreteTensor(out, x.shape, x.dtype);
}

const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const OTHER = 4;
export const binaryCode: Record<string, number> = { add: ADD, sub: SUB, mul: MUL, div: DIV };

/** One row of a binary op with per-operand strides; the switch sits outside the hot loop. */
function row(
  code: number,
  f: Fn2,
  a: TypedArray,
  ai: number,
  sa: number,
  b: TypedArray,
  bi: number,
  sb: number,
  out: TypedArray,
  oi: number,
  n: number,
): void {
  switch (code) {
    case ADD:
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai]! + b[bi]!;
      return;
    case SUB:
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai]! - b[bi]!;
      return;
    case MUL:
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai]! * b[bi]!;
      return;
    case DIV:
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai]! / b[bi]!;
      return;
    default:
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = f(a[ai]!, b[bi]!);
  }
}

export function mapBinary(
  a: ConcreteTensor,
  b: ConcreteTensor,
  shape: Shape,
  outDtype: DType,
  code: number,
  f: Fn2,
): ConcreteTensor {
  const n = sizeOf(shape);
  const out = allocate(outDtype, n);
  const A = a.data;
  const B = b.data;
  if (A.length === n && B.length === n) row(code, f, A, 0, 1, B, 0, 1, out, 0, n);
  else if (B.length === 1 && A.length === n) row(code, f, A, 0, 1, B, 0, 0, out, 0, n);
  else if (A.length === 1 && B.length === n) row(code, f, A, 0, 0, B, 0, 1, out, 0, n);
  else {
    const sa = broadcastStrides(a.shape, shape);
    const sb = broadcastStrides(b.shape, shape);
    const last = shape.length - 1;
    const len = shape[last]!;
    const la = sa[last]!;
    const lb = sb[last]!;
    let oi = 0;
    forEachRow(shape, [sa, sb], [0, 0], (o) => {
      row(code ?? OTHER, f, A, o[0]!, la, B, o[1]!, lb, out, oi, len);
      oi += len;
    });
  }
  return new ConcreteTensor(out, shape, outDtype);
}

export function mapWhere(
  c: ConcreteTensor,
  x: ConcreteTensor,
  y: ConcreteTensor,
  shape: Shape,
): ConcreteTensor {
  const n = sizeOf(shape);
  const out = allocate(x.dtype, n);
  const [C, X, Y] = [c.data, x.data, y.data];
  const strides = [c, x, y].map((t) => broadcastStrides(t.shape, shape));
  const last = shape.length - 1;
  const len = last >= 0 ? shape[last]! : 1;
  const [lc, lx, ly] = strides.map((s) => (last >= 0 ? s[last]! : 0)) as [number, number, number];
  let oi = 0;
  forEachRow(shape, strides, [0, 0, 0], (o) => {
    let ci = o[0]!;
    let xi = o[1]!;
    let yi = o[2]!;
    for (let i = 0; i < len; i++, ci += lc, xi += lx, yi += ly) out[oi + i] = C[ci] ? X[xi]! : Y[yi]!;
    oi += len;
  });
  return new ConcreteTensor(out, shape, x.dtype);
}
