/** pad (torch F.pad), repeat (torch Tensor.repeat) and the other shape ops against hand-worked values. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as C from '../../../core/index';
import { expectExact, valuesOf } from '../support/close';

const x23 = C.tensor([
  [0, 1, 2],
  [3, 4, 5],
]);
const mod = (a: number, n: number) => ((a % n) + n) % n;

describe('pad', () => {
  it('constant: pads pair up from the last axis, as F.pad(x, (1, 2)) and F.pad(x, (1, 1, 2, 0), value=9)', () => {
    expectExact(C.pad(x23, [1, 2]), [
      [0, 0, 1, 2, 0, 0],
      [0, 3, 4, 5, 0, 0],
    ]);
    expectExact(C.pad(x23, [1, 1, 2, 0], 'constant', 9), [
      [9, 9, 9, 9, 9],
      [9, 9, 9, 9, 9],
      [9, 0, 1, 2, 9],
      [9, 3, 4, 5, 9],
    ]);
  });

  it("circular: F.pad(x, (2, 1), mode='circular') and (1, 1, 1, 1) wrap around", () => {
    expectExact(C.pad(x23, [2, 1], 'circular'), [
      [1, 2, 0, 1, 2, 0],
      [4, 5, 3, 4, 5, 3],
    ]);
    expectExact(C.pad(x23, [1, 1, 1, 1], 'circular'), [
      [5, 3, 4, 5, 3],
      [2, 0, 1, 2, 0],
      [5, 3, 4, 5, 3],
      [2, 0, 1, 2, 0],
    ]);
  });

  it('circular equals x[(i - before) mod n] for every pad up to the axis size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(6), fc.nat(6), (n, lo0, hi0) => {
        const [lo, hi] = [Math.min(lo0, n), Math.min(hi0, n)];
        const v = C.arange(n).to('float64');
        const want = Array.from({ length: n + lo + hi }, (_, i) => mod(i - lo, n));
        expect(valuesOf(C.pad(v, [lo, hi], 'circular'))).toEqual(want);
      }),
      { numRuns: 100 },
    );
  });

  it('the gradient of circular padding folds the ghost cells back', () => {
    const g = C.grad((v: C.Tensor) =>
      C.sum(C.mul(C.pad(v, [1, 2], 'circular'), C.tensor([1, 2, 3, 4, 5, 6]))),
    )(C.tensor([0.5, -1, 2]));
    // Output i reads input (i - 1) mod 3: input 0 gets weights 2 and 5, input 1 gets 3 and 6, input 2 gets 1 and 4.
    expectExact(g, [7, 9, 5]);
  });
});

describe('repeat (torch semantics: tile, extra leading counts add axes)', () => {
  it('tensor([1,2,3]).repeat(4, 2) and .repeat(4, 2, 1)', () => {
    const v = C.tensor([1, 2, 3]);
    expectExact(v.repeat(4, 2), Array(4).fill([1, 2, 3, 1, 2, 3]));
    expect(v.repeat(4, 2, 1).shape).toEqual([4, 2, 3]);
    expectExact(v.repeat(4, 2, 1).get(3, 1), [1, 2, 3]);
  });

  it('out[i][j] = x[i mod r][j mod c]', () => {
    const m = C.tensor([
      [1, 2],
      [3, 4],
    ]);
    const out = m.repeat(2, 3);
    expect(out.shape).toEqual([4, 6]);
    expectExact(
      out,
      Array.from({ length: 4 }, (_, i) =>
        Array.from({ length: 6 }, (_, j) => (m.toArray() as number[][])[i % 2]![j % 2]!),
      ),
    );
  });
});

describe('reshape, permute, transpose, movedim, squeeze, unsqueeze, flip, cat, stack, expand', () => {
  const a = C.reshape(C.arange(24).to('float64'), [2, 3, 4]);

  it('reshape with -1 keeps C order', () => {
    expectExact(C.reshape(a, [4, -1]).get(1), [6, 7, 8, 9, 10, 11]);
    expect(a.flatten().shape).toEqual([24]);
  });

  it('permute(2, 0, 1) moves entry [i,j,k] to [k,i,j]', () => {
    const p = a.permute(2, 0, 1);
    expect(p.shape).toEqual([4, 2, 3]);
    for (const [i, j, k] of [
      [0, 0, 0],
      [1, 2, 3],
      [1, 0, 2],
    ] as const)
      expect(p.get(k, i, j).item()).toBe(a.get(i, j, k).item());
  });

  it('transpose swaps the last two axes by default; movedim moves one axis', () => {
    expect(a.transpose().shape).toEqual([2, 4, 3]);
    expect(a.transpose().get(1, 3, 2).item()).toBe(a.get(1, 2, 3).item());
    expect(C.movedim(a, 0, -1).shape).toEqual([3, 4, 2]);
    expect(C.movedim(a, 0, -1).get(2, 1, 1).item()).toBe(a.get(1, 2, 1).item());
  });

  it('squeeze/unsqueeze add and remove unit axes only', () => {
    const u = C.unsqueeze(a, -1);
    expect(u.shape).toEqual([2, 3, 4, 1]);
    expect(C.squeeze(u).shape).toEqual([2, 3, 4]);
    expect(C.squeeze(a, 0).shape).toEqual([2, 3, 4]);
  });

  it('flip reverses the listed axes', () => {
    expectExact(C.flip(x23, [0, 1]), [
      [5, 4, 3],
      [2, 1, 0],
    ]);
    expectExact(x23.flip(-1), [
      [2, 1, 0],
      [5, 4, 3],
    ]);
  });

  it('cat joins along an axis, stack along a new one, expand broadcasts', () => {
    expectExact(C.cat([x23, C.tensor([[6, 7, 8]])]), [
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expectExact(C.cat([x23, C.tensor([[9], [9]])], -1), [
      [0, 1, 2, 9],
      [3, 4, 5, 9],
    ]);
    expectExact(C.stack([C.tensor([1, 2]), C.tensor([3, 4])], 1), [
      [1, 3],
      [2, 4],
    ]);
    expectExact(C.expand(C.tensor([[1], [2]]), [2, 2, 3]), [
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
    ]);
  });
});
