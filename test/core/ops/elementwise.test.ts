/** Broadcasting, dtype promotion, int32 / bool behaviour, and float32 results rounded to float32. */
import { describe, expect, it } from 'vitest';
import * as C from '../../../core/index';
import { expectExact, valuesOf } from '../support/close';

describe('broadcasting (NumPy rules)', () => {
  it('[3,1] + [1,4] is the [3,4] table a_i + b_j', () => {
    const a = C.tensor([[1], [2], [3]]);
    const b = C.tensor([[10, 20, 30, 40]]);
    expectExact(
      C.add(a, b),
      [1, 2, 3].map((i) => [10, 20, 30, 40].map((j) => i + j)),
    );
  });

  it('[2,3] * [3], a 0-d tensor and a number broadcast from the right', () => {
    const m = C.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expectExact(C.mul(m, C.tensor([1, 0, -1])), [
      [1, 0, -3],
      [4, 0, -6],
    ]);
    expectExact(C.sub(m, C.tensor(1)), [
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expectExact(m.div(2), [
      [0.5, 1, 1.5],
      [2, 2.5, 3],
    ]);
    expectExact(C.pow(2, C.tensor([0, 1, 10])), [1, 2, 1024]);
  });

  it('[2,1,3] with [4,1] gives [2,4,3]; where broadcasts all three operands', () => {
    const a = C.reshape(C.arange(6).to('float64'), [2, 1, 3]);
    const b = C.reshape(C.arange(4).to('float64'), [4, 1]);
    const out = C.mul(a, b);
    expect(out.shape).toEqual([2, 4, 3]);
    expectExact(
      out,
      [0, 1].map((i) => [0, 1, 2, 3].map((j) => [0, 1, 2].map((k) => (3 * i + k) * j))),
    );
    expectExact(C.where(C.tensor([true, false]), C.tensor([[1], [2]]), -1), [
      [1, -1],
      [2, -1],
    ]);
  });

  it('elementwise functions equal Math on every entry', () => {
    const x = C.tensor([-1.3, -0.2, 0.4, 2.5]);
    const v = valuesOf(x);
    const table: [(t: C.Tensor) => C.Tensor, (a: number) => number][] = [
      [C.sin, Math.sin],
      [C.cos, Math.cos],
      [C.tan, Math.tan],
      [C.exp, Math.exp],
      [C.tanh, Math.tanh],
      [C.abs, Math.abs],
      [C.neg, (a) => -a],
      [C.sigmoid, (a) => 1 / (1 + Math.exp(-a))],
      [(t) => C.log(C.abs(t)), (a) => Math.log(Math.abs(a))],
      [(t) => C.sqrt(C.abs(t)), (a) => Math.sqrt(Math.abs(a))],
      [(t) => C.maximum(t, 0), (a) => Math.max(a, 0)],
      [(t) => C.minimum(t, 0), (a) => Math.min(a, 0)],
    ];
    for (const [f, g] of table)
      valuesOf(f(x)).forEach((y, i) => {
        expect(y).toBeCloseTo(g(v[i]!), 15);
      });
  });
});

describe('dtypes and promotion', () => {
  const i32 = (v: number[]) => C.tensor(v, { dtype: 'int32' });
  const f32 = (v: number[]) => C.tensor(v, { dtype: 'float32' });

  it('int32 arithmetic stays int32; true division and float functions give float64', () => {
    const a = i32([7, -7, 3]);
    const b = i32([2, 2, 3]);
    expect(C.add(a, b).dtype).toBe('int32');
    expectExact(C.mul(a, 3), i32([21, -21, 9]));
    const q = C.div(a, b);
    expect(q.dtype).toBe('float64');
    expectExact(q, [3.5, -3.5, 1]);
    expect(C.sqrt(b).dtype).toBe('float64');
    expect(C.add(a, 0.5).dtype).toBe('float64');
    expectExact(C.add(a, 0.5), [7.5, -6.5, 3.5]);
  });

  it('promotion: bool < int32 < float32 < float64', () => {
    const b = C.tensor([true, false, true]);
    expect(b.dtype).toBe('bool');
    expect(C.add(b, i32([1, 1, 1])).dtype).toBe('int32');
    expectExact(C.add(b, i32([1, 1, 1])), i32([2, 1, 2]));
    expect(C.add(i32([1]), f32([1])).dtype).toBe('float32');
    expect(C.add(f32([1]), C.tensor([1])).dtype).toBe('float64');
    expect(C.mul(f32([1]), 2.5).dtype).toBe('float32');
  });

  it('comparisons give bool; sum of bool counts as int32; cast truncates toward zero', () => {
    const x = C.tensor([-1.7, 0, 2.9, 3]);
    const mask = C.gt(x, 0);
    expect(mask.dtype).toBe('bool');
    expect(mask.toArray()).toEqual([false, false, true, true]);
    expect(C.sum(mask).dtype).toBe('int32');
    expect(C.sum(mask).item()).toBe(2);
    expectExact(x.to('int32'), i32([-1, 0, 2, 3]));
    expect(x.to('bool').toArray()).toEqual([true, false, true, true]);
    expect(C.eq(x, C.tensor([-1.7, 1, 2.9, 0])).toArray()).toEqual([true, false, true, false]);
    expect(C.arange(4).dtype).toBe('int32');
    expect(C.arange(0, 1, 0.25).dtype).toBe('float64');
  });
});

describe('float32 results are rounded to float32', () => {
  const raw = [0.1, 0.7, 1.3, -2.9];
  const x = C.tensor(raw, { dtype: 'float32' });
  const xr = raw.map(Math.fround);

  it('storage rounds the inputs', () => {
    expect(valuesOf(x)).toEqual(xr);
    expect(xr[0]).not.toBe(0.1);
  });

  it('add, mul, div and unary functions round each result once', () => {
    expectExact(
      C.add(x, 0.2),
      C.tensor(
        xr.map((v) => Math.fround(v + Math.fround(0.2))),
        { dtype: 'float32' },
      ),
    );
    const y = C.tensor([3, 0.3, -1.1, 7], { dtype: 'float32' });
    const yr = valuesOf(y);
    expect(valuesOf(C.mul(x, y))).toEqual(xr.map((v, i) => Math.fround(v * yr[i]!)));
    expect(valuesOf(C.div(x, y))).toEqual(xr.map((v, i) => Math.fround(v / yr[i]!)));
    expect(valuesOf(C.sin(x))).toEqual(xr.map((v) => Math.fround(Math.sin(v))));
    expect(valuesOf(C.exp(x))).toEqual(xr.map((v) => Math.fround(Math.exp(v))));
    expect(C.sin(x).dtype).toBe('float32');
  });

  it('reductions and matmul give float32 values', () => {
    const s = C.sum(x);
    expect(s.dtype).toBe('float32');
    expect(s.item()).toBe(Math.fround(s.item()));
    expect(Math.abs(s.item() - xr.reduce((a, b) => a + b, 0))).toBeLessThan(1e-6);
    const m = C.matmul(C.reshape(x, [2, 2]), C.reshape(x, [2, 2]));
    expect(m.dtype).toBe('float32');
    for (const v of valuesOf(m)) expect(v).toBe(Math.fround(v));
    expect(m.get(0, 1).item()).toBe(Math.fround(xr[0]! * xr[1]! + xr[1]! * xr[3]!));
  });

  it('gradients of float32 functions are float32', () => {
    const g = C.grad((t: C.Tensor) => C.sum(C.mul(C.sin(t), t)))(x) as C.Tensor;
    expect(g.dtype).toBe('float32');
    for (const [i, v] of valuesOf(g).entries()) {
      expect(v).toBe(Math.fround(v));
      expect(v).toBeCloseTo(Math.cos(xr[i]!) * xr[i]! + Math.sin(xr[i]!), 5);
    }
  });
});
