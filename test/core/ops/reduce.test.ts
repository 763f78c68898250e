/** sum / mean / amax / amin over axes, negative axes and keepdim, against loops over a known tensor. */
import { describe, expect, it } from 'vitest';
import * as C from '../../../core/index';
import { assertClose, expectExact } from '../support/close';

// x[i][j][k] = 12i + 4j + k, with a sign pattern so max and min are not at the ends.
const value = (i: number, j: number, k: number) => (12 * i + 4 * j + k) * ((i + j + k) % 2 ? -1 : 1);
const X = C.tensor([0, 1].map((i) => [0, 1, 2].map((j) => [0, 1, 2, 3].map((k) => value(i, j, k)))));
const idx = (n: number) => [...Array(n).keys()];

describe('reductions', () => {
  it('sum over one axis, with and without keepdim', () => {
    const want = idx(2).map((i) => idx(4).map((k) => idx(3).reduce((s, j) => s + value(i, j, k), 0)));
    expectExact(C.sum(X, 1), want);
    const kept = X.sum(1, { keepdim: true });
    expect(kept.shape).toEqual([2, 1, 4]);
    expectExact(C.reshape(kept, [2, 4]), want);
  });

  it('mean over axes [0, -1] and over everything', () => {
    const want = idx(3).map(
      (j) => idx(2).reduce((s, i) => s + idx(4).reduce((t, k) => t + value(i, j, k), 0), 0) / 8,
    );
    assertClose(C.mean(X, [0, -1]), want, { rtol: 1e-15, atol: 1e-15 });
    expect(C.mean(X, [0, -1], { keepdim: true }).shape).toEqual([1, 3, 1]);
    const all = idx(2).flatMap((i) => idx(3).flatMap((j) => idx(4).map((k) => value(i, j, k))));
    expect(X.mean().shape).toEqual([]);
    expect(X.mean().item()).toBeCloseTo(all.reduce((a, b) => a + b, 0) / 24, 14);
    expect(X.sum().item()).toBe(all.reduce((a, b) => a + b, 0));
  });

  it('amax and amin with negative axes and keepdim', () => {
    const maxK = idx(2).map((i) => idx(3).map((j) => Math.max(...idx(4).map((k) => value(i, j, k)))));
    const minJ = idx(2).map((i) => idx(4).map((k) => Math.min(...idx(3).map((j) => value(i, j, k)))));
    expectExact(C.amax(X, -1), maxK);
    expectExact(X.amin(-2), minJ);
    expect(C.amax(X, [0, 2], { keepdim: true }).shape).toEqual([1, 3, 1]);
    expectExact(
      C.amax(X, [0, 2]),
      idx(3).map((j) => Math.max(...maxK.map((r) => r[j]!))),
    );
  });

  it('the gradient of amax splits evenly between tied maxima', () => {
    const g = C.grad((x: C.Tensor) => C.amax(x))(C.tensor([1, 3, 0, 3]));
    expectExact(g, [0, 0.5, 0, 0.5]);
  });
});
