/** Central finite differences in float64, computed outside core's transforms (only the forward function runs). */
import { type Tensor, tensor } from '../../../core/index';
import { valuesOf } from './close';

const shifted = (x: Tensor, t: readonly number[], h: number): Tensor =>
  tensor(
    Float64Array.from(valuesOf(x), (v, i) => v + h * t[i]!),
    { shape: x.shape },
  );

/** (f(x + eps·t) - f(x - eps·t)) / (2·eps): the directional derivative J·t, shaped like f's output. */
export function centralDifference(f: (x: Tensor) => Tensor, x: Tensor, t: Tensor, eps = 1e-6): Tensor {
  const dir = valuesOf(t);
  const plus = f(shifted(x, dir, eps));
  const minus = f(shifted(x, dir, -eps));
  const a = valuesOf(plus);
  const b = valuesOf(minus);
  return tensor(
    Float64Array.from(a, (v, i) => (v - b[i]!) / (2 * eps)),
    { shape: plus.shape },
  );
}

/** The full Jacobian [...out, ...in] by central differences, one input entry at a time. */
export function finiteDifferenceJacobian(f: (x: Tensor) => Tensor, x: Tensor, eps = 1e-6): Tensor {
  const n = x.size;
  const columns: number[][] = [];
  let outShape: readonly number[] = [];
  for (let j = 0; j < n; j++) {
    const e = new Array<number>(n).fill(0);
    e[j] = 1;
    const col = centralDifference(f, x, tensor(e), eps);
    outShape = col.shape;
    columns.push(valuesOf(col));
  }
  const m = columns[0]?.length ?? 0;
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[i * n + j] = columns[j]![i]!;
  return tensor(data, { shape: [...outShape, ...x.shape] });
}

/** <a, b> over all entries, in plain JS. */
export function inner(a: Tensor, b: Tensor): number {
  const x = valuesOf(a);
  const y = valuesOf(b);
  if (x.length !== y.length) throw new Error(`inner: ${x.length} and ${y.length} entries`);
  return x.reduce((s, v, i) => s + v * y[i]!, 0);
}
