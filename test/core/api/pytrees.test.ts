/** Transforms over structured arguments and outputs (torch.func pytree semantics), with hand-computed values. */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../../core/index';
import * as C from '../../../core/index';
import { expectExact } from '../support/close';

const xs = C.tensor([
  [1, 2],
  [3, 4],
  [5, 6],
]);

describe('vmap over pytrees', () => {
  it('inDims as a tree: a dict argument with one batched and one shared leaf', () => {
    const f = (p: { a: Tensor; b: Tensor }) => C.add(p.a, p.b);
    expectExact(C.vmap(f, { inDims: [{ a: 0, b: null }] })({ a: xs, b: C.tensor([10, 20]) }), [
      [11, 22],
      [13, 24],
      [15, 26],
    ]);
  });

  it('outDims per output; null returns an output that does not depend on the batch as it is', () => {
    const f = (x: Tensor) => [x.sum(), C.mul(x, 2), C.ones([2])];
    for (const chunkSize of [undefined, 2]) {
      const [s, twice, shared] = C.vmap(f, { outDims: [0, 1, null], chunkSize })(xs) as Tensor[];
      expectExact(s!, [3, 7, 11]);
      expectExact(twice!, [
        [2, 6, 10],
        [4, 8, 12],
      ]);
      expectExact(shared!, [1, 1]);
    }
    expect(() => C.vmap((x: Tensor) => x, { outDims: null })(xs)).toThrow(/outDims null.*output 0/);
  });

  it('a function that ignores its batched input still returns one row per element', () => {
    expectExact(C.vmap((_x: Tensor) => C.tensor([7, 8]))(xs), [
      [7, 8],
      [7, 8],
      [7, 8],
    ]);
  });
});

describe('derivatives over pytrees', () => {
  it('jacrev of a dict output gives a dict of Jacobians', () => {
    const jac = C.jacrev((x: Tensor) => ({ s: x.sum(), p: C.mul(x, x) }))(C.tensor([1, 2])) as {
      s: Tensor;
      p: Tensor;
    };
    expectExact(jac.s, [1, 1]);
    expectExact(jac.p, [
      [2, 0],
      [0, 4],
    ]);
  });

  it('grad and jvp with hasAux pass the auxiliary output through', () => {
    const [g, aux] = C.grad((x: Tensor) => [C.sum(C.mul(x, x)), C.mul(x, 3)], { hasAux: true })(
      C.tensor([1, 2]),
    );
    expectExact(g, [2, 4]);
    expectExact(aux, [3, 6]);
    const [y, t, a] = C.jvp((x: Tensor) => [C.sin(x), C.neg(x)], [C.tensor([0])], [C.tensor([2])], {
      hasAux: true,
    }) as Tensor[];
    expectExact(y!, [0]);
    expectExact(t!, [2]);
    expectExact(a!, [-0]);
  });

  it('argnums picks arguments: d/dy and the Hessian in y of Σ x·y²', () => {
    const f = (x: Tensor, y: Tensor) => C.sum(C.mul(x, C.mul(y, y)));
    const [x, y] = [C.tensor([1, 2]), C.tensor([3, 4])];
    expectExact(C.grad(f, { argnums: 1 })(x, y), [6, 16]);
    expectExact(C.hessian(f, { argnums: 1 })(x, y), [
      [2, 0],
      [0, 4],
    ]);
    const [gx, gy] = C.grad(f, { argnums: [0, 1] })(x, y) as Tensor[];
    expectExact(gx!, [9, 16]);
    expectExact(gy!, [6, 16]);
  });

  it('vjp of two inputs and two outputs sums the cotangents of both outputs', () => {
    const [, pullback] = C.vjp(
      (a: Tensor, b: Tensor) => [C.mul(a, b), C.add(a, b)],
      C.tensor([1, 2]),
      C.tensor([3, 4]),
    );
    const [ga, gb] = pullback([C.ones([2]), C.ones([2])]) as Tensor[];
    expectExact(ga!, [4, 5]);
    expectExact(gb!, [2, 3]);
  });
});
