/** NumPy-style get / at().set / at().add against Python's slice rules, and indexSelect / gather / scatterAdd. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as C from '../../../core/index';
import { expectExact, valuesOf } from '../support/close';

/** The indices Python's slice(start, stop, step).indices(n) walks (CPython's algorithm). */
function pythonSlice(n: number, start: number | null, stop: number | null, step: number | null): number[] {
  const st = step ?? 1;
  const [lower, upper] = st > 0 ? [0, n] : [-1, n - 1];
  const clamp = (i: number | null, dflt: number) =>
    i === null ? dflt : i < 0 ? Math.max(i + n, lower) : Math.min(i, upper);
  const a = clamp(start, st > 0 ? lower : upper);
  const b = clamp(stop, st > 0 ? upper : lower);
  const out: number[] = [];
  for (let i = a; st > 0 ? i < b : i > b; i += st) out.push(i);
  return out;
}

const sliceText = (start: number | null, stop: number | null, step: number | null) =>
  `${start ?? ''}:${stop ?? ''}${step === null ? '' : `:${step}`}`;

const arange = (shape: number[]) =>
  C.reshape(C.arange(shape.reduce((a, b) => a * b, 1)).to('float64'), shape);

describe('get', () => {
  const x = C.arange(10).to('float64');

  it('negative indices and steps, by hand', () => {
    expectExact(x.get(-1), 9);
    expectExact(x.get(-10), 0);
    expectExact(x.get('-3:'), [7, 8, 9]);
    expectExact(x.get(':-7'), [0, 1, 2]);
    expectExact(x.get('1:-1:3'), [1, 4, 7]);
    expectExact(x.get('::-1'), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expectExact(x.get('8:2:-2'), [8, 6, 4]);
    expectExact(x.get('::-3'), [9, 6, 3, 0]);
    expectExact(x.get('-2::-4'), [8, 4, 0]);
    expectExact(x.get(C.s(null, -8, -1)), [9, 8, 7, 6, 5, 4, 3]);
    expect(x.get('5:2').shape).toEqual([0]);
    expect(x.get('2:5:-1').shape).toEqual([0]);
  });

  it('several axes, integers drop axes, null adds one, ... fills the rest', () => {
    const m = arange([3, 4, 5]);
    expectExact(m.get(1, -1), [35, 36, 37, 38, 39]);
    expectExact(m.get('...', 0), [
      [0, 5, 10, 15],
      [20, 25, 30, 35],
      [40, 45, 50, 55],
    ]);
    expectExact(m.get(-1, '::-2', '1:3'), [
      [56, 57],
      [46, 47],
    ]);
    expect(m.get(null, 0, '...', null).shape).toEqual([1, 4, 5, 1]);
    expect(m.get(':', null, 2).shape).toEqual([3, 1, 5]);
  });

  it('every slice agrees with Python slice semantics (start/stop/step of any sign, out of range)', () => {
    const bound = fc.option(fc.integer({ min: -9, max: 9 }), { nil: null });
    const step = fc.option(
      fc.integer({ min: -4, max: 4 }).filter((s) => s !== 0),
      { nil: null },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), bound, bound, step, (n, a, b, st) => {
        const t = C.arange(n).to('float64');
        const want = pythonSlice(n, a, b, st);
        expect(valuesOf(t.get(sliceText(a, b, st)))).toEqual(want);
        expect(valuesOf(t.get(C.s(a, b, st)))).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});

describe('at().set and at().add', () => {
  it('by hand, including a negative step and an integer index', () => {
    const x = C.zeros([2, 5]);
    expectExact(x.at(1, '::-2').set(C.tensor([1, 2, 3])), [
      [0, 0, 0, 0, 0],
      [3, 0, 2, 0, 1],
    ]);
    expectExact(x.at('...', -1).add(7), [
      [0, 0, 0, 0, 7],
      [0, 0, 0, 0, 7],
    ]);
    expectExact(
      C.ones([2, 3])
        .at(':', '1:')
        .add(C.tensor([10, 20])),
      [
        [1, 11, 21],
        [1, 11, 21],
      ],
    );
    // The input is not modified.
    expectExact(x, C.zeros([2, 5]));
  });

  it('agrees with assignment into a plain array over random 2-D regions', () => {
    const bound = fc.option(fc.integer({ min: -6, max: 6 }), { nil: null });
    const step = fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0);
    fc.assert(
      fc.property(bound, bound, step, fc.integer({ min: -3, max: 2 }), (a, b, st, row) => {
        const [rows, cols] = [3, 5];
        const x = arange([rows, cols]);
        const colIdx = pythonSlice(cols, a, b, st);
        const r = row < 0 ? row + rows : row;
        const region = C.tensor(colIdx.map((_, k) => 100 + k));
        const want = (x.toArray() as number[][]).map((line) => [...line]);
        colIdx.forEach((c, k) => {
          want[r]![c] = 100 + k;
        });
        expectExact(x.at(row, sliceText(a, b, st)).set(region), want);
        const added = (x.toArray() as number[][]).map((line) => [...line]);
        colIdx.forEach((c) => {
          added[r]![c]! += 0.5;
        });
        expectExact(x.at(row, sliceText(a, b, st)).add(0.5), added);
      }),
      { numRuns: 200 },
    );
  });

  it('is differentiable in the base and the value', () => {
    const x = C.tensor([1, 2, 3, 4]);
    const v = C.tensor([5, 6]);
    const f = (base: C.Tensor, val: C.Tensor) =>
      C.sum(C.mul(base.at('::-2').set(val), C.tensor([1, 10, 100, 1000])));
    const [gx, gv] = C.grad(f, { argnums: [0, 1] })(x, v) as [C.Tensor, C.Tensor];
    // Positions 3 and 1 are overwritten: no gradient reaches x there; val[0] lands at 3, val[1] at 1.
    expectExact(gx, [1, 0, 100, 0]);
    expectExact(gv, [1000, 10]);
  });
});

describe('indexSelect, gather, scatterAdd (torch semantics)', () => {
  const t = C.tensor([
    [1, 2],
    [3, 4],
  ]);
  const idx = (v: number[][]) => C.tensor(v, { dtype: 'int32' });

  it('indexSelect picks rows or columns, in order, with repeats', () => {
    const x = arange([3, 4]);
    expectExact(C.indexSelect(x, 0, C.tensor([2, 0, 2], { dtype: 'int32' })), [
      [8, 9, 10, 11],
      [0, 1, 2, 3],
      [8, 9, 10, 11],
    ]);
    expectExact(C.indexSelect(x, -1, C.tensor([3, 1], { dtype: 'int32' })), [
      [3, 1],
      [7, 5],
      [11, 9],
    ]);
  });

  it('gather: out[i][j] = t[i][idx[i][j]] on axis 1, t[idx[i][j]][j] on axis 0 (the torch docs example)', () => {
    expectExact(
      C.gather(
        t,
        1,
        idx([
          [0, 0],
          [1, 0],
        ]),
      ),
      [
        [1, 1],
        [4, 3],
      ],
    );
    expectExact(
      C.gather(
        t,
        0,
        idx([
          [1, 0],
          [0, 0],
        ]),
      ),
      [
        [3, 2],
        [1, 2],
      ],
    );
    // Indices may be smaller than the input off the gathered axis.
    expectExact(C.gather(arange([3, 3]), 1, idx([[2], [0]])), [[2], [3]]);
  });

  it('scatterAdd: the torch docs example, repeated indices accumulate', () => {
    const index = idx([
      [0, 1, 2, 0, 0],
      [0, 1, 2, 2, 2],
    ]);
    expectExact(C.scatterAdd(C.zeros([3, 5]), 0, index, C.ones([2, 5])), [
      [2, 0, 0, 1, 1],
      [0, 2, 0, 0, 0],
      [0, 0, 2, 1, 1],
    ]);
    expectExact(
      C.scatterAdd(
        C.ones([2, 3]),
        1,
        idx([
          [2, 2],
          [0, 1],
        ]),
        C.tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
      [
        [1, 1, 4],
        [4, 5, 1],
      ],
    );
  });

  it('gather and scatterAdd are each other’s transpose: grad of gather scatters ones', () => {
    const index = idx([
      [1, 1, 0],
      [0, 0, 0],
    ]);
    const g = C.grad((x: C.Tensor) => C.sum(C.gather(x, 1, index)))(arange([2, 3]));
    expectExact(g, [
      [1, 2, 0],
      [3, 0, 0],
    ]);
  });
});
