/** matmul's 1-D / 2-D / batched rules (torch.matmul) against the definition Σ_k a[..i,k]·b[..k,j]. */
import { describe, expect, it } from 'vitest';
import type { NestedArray } from '../../../core/index';
import * as C from '../../../core/index';
import { assertClose, expectExact } from '../support/close';

type M = number[][];
const product = (a: M, b: M): M =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));

describe('matmul', () => {
  const a = C.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = C.tensor([
    [7, 8],
    [9, 10],
    [11, 12],
  ]);

  it('2-D @ 2-D, by hand', () => {
    expectExact(C.matmul(a, b), [
      [58, 64],
      [139, 154],
    ]);
    expectExact(a.matmul(b), product(a.toArray() as M, b.toArray() as M));
  });

  it('1-D @ 1-D is the dot product (0-d); 2-D @ 1-D and 1-D @ 2-D drop the vector axis', () => {
    const v3 = C.tensor([1, -1, 2]);
    const v2 = C.tensor([2, -3]);
    const dot = C.matmul(v3, v3);
    expect(dot.shape).toEqual([]);
    expect(dot.item()).toBe(6);
    expectExact(C.matmul(a, v3), [5, 11]);
    expectExact(C.matmul(v2, a), [-10, -11, -12]);
  });

  it('batched operands broadcast their batch axes; a vector operand broadcasts over the batch', () => {
    const A = C.randn([2, 1, 2, 3], { seed: 1 });
    const B = C.randn([3, 3, 4], { seed: 2 });
    const out = C.matmul(A, B);
    expect(out.shape).toEqual([2, 3, 2, 4]);
    const [an, bn] = [A.toArray() as M[][], B.toArray() as M[]];
    const want: NestedArray = [0, 1].map((i) => [0, 1, 2].map((j) => product(an[i]![0]!, bn[j]!)));
    assertClose(out, want, { rtol: 1e-14, atol: 1e-14 });

    const v = C.tensor([1, 0, -1]);
    const batchedVec = C.matmul(A, v);
    expect(batchedVec.shape).toEqual([2, 1, 2]);
    assertClose(
      batchedVec,
      an.map((blk) => blk.map((m) => m.map((row) => row[0]! - row[2]!))),
      { rtol: 1e-14, atol: 1e-14 },
    );
    const vecBatched = C.matmul(v, B);
    expect(vecBatched.shape).toEqual([3, 4]);
    assertClose(
      vecBatched,
      bn.map((m) => m[0]!.map((_, j) => m[0]![j]! - m[2]![j]!)),
      { rtol: 1e-14, atol: 1e-14 },
    );
  });

  it('outer and dot', () => {
    expectExact(C.outer(C.tensor([1, 2]), C.tensor([3, 4, 5])), [
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(C.dot(C.tensor([1, 2, 3]), C.tensor([4, 5, 6])).item()).toBe(32);
  });

  it('gradients: d<C, A B>/dA = C Bᵀ and d/dB = Aᵀ C', () => {
    const Cm = C.randn([2, 2], { seed: 3 });
    const [gA, gB] = C.grad((x: C.Tensor, y: C.Tensor) => C.sum(C.mul(C.matmul(x, y), Cm)), {
      argnums: [0, 1],
    })(a, b) as [C.Tensor, C.Tensor];
    const [cm, am, bm] = [Cm.toArray() as M, a.toArray() as M, b.toArray() as M];
    const transposed = (m: M): M => m[0]!.map((_, j) => m.map((r) => r[j]!));
    assertClose(gA, product(cm, transposed(bm)), { rtol: 1e-14, atol: 1e-14 });
    assertClose(gB, product(transposed(am), cm), { rtol: 1e-14, atol: 1e-14 });
  });
});
