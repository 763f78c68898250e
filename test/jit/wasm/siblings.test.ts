/**
 * Sibling kernels: values of one shape that read a common array and not one another are computed by one loop
 * nest with an output each; a value that reads a sibling, or an array computed later, keeps a kernel of its own.
 */
import { describe, expect, it } from 'vitest';
import { cat, gather, maximum, pad, rand, sliceAxis, sum, type Tensor, tensor } from '../../../core/index';
import { jit, printProgram } from '../../../core/jit/index';
import { relErr } from '../../helpers/reference';

const a = rand([8, 64], { seed: 11, dtype: 'float64' });
const w = rand([8, 1], { seed: 12, dtype: 'float64' });

async function compiled(f: (...xs: Tensor[]) => Tensor[], ...args: Tensor[]) {
  const g = jit(f, { backend: 'wasm', strict: true });
  const outs = (await g(...args)) as Tensor[];
  f(...args).forEach((e, i) => {
    expect(relErr(outs[i]!, e)).toBeLessThan(1e-15);
  });
  const calls = printProgram(g, ...args)
    .split('\n')
    .filter((l) => / kernel\d+\(/.test(l));
  return { calls, kernels: g.lastRun!.kernels };
}

describe('sibling kernels on wasm', () => {
  it('reduce one array three ways in one kernel with three outputs', async () => {
    const f = (x: Tensor, v: Tensor) => [sum(x.mul(v), 0), sum(x.mul(x), 0), maximum(x, 0.5).sum(0)];
    const { calls, kernels } = await compiled(f, a, w);
    expect(kernels).toBe(1);
    expect(calls).toEqual([expect.stringMatching(/^ {2}out0, out1, out2 = f64\[64\] ×3 kernel1\(/)]);
  });

  it('compute siblings in every loop form: unrolled rows with a scalar tail, scalars, integer (scalar) loops', async () => {
    const b = rand([5, 8, 13], { seed: 13, dtype: 'float64' });
    const rowsAndTail = (x: Tensor) => [sum(x.mul(x), 1), sum(x.sin(), 1)]; // [5, 13]: 5 rows, 12 lanes + 1
    const scalars = (x: Tensor) => [sum(x.exp()), sum(x.abs())];
    const ints = (x: Tensor) => {
      const i = x.mul(10).to('int32');
      return [sum(i, 0), sum(i.mul(i), 0)];
    };
    for (const [f, arg] of [
      [rowsAndTail, b],
      [scalars, a],
      [ints, a],
    ] as const) {
      const { calls } = await compiled(f, arg);
      // the integers are cast by a kernel of their own first; the two outputs come from one
      expect(calls.at(-1)).toMatch(/^ {2}out0, out1 = \w+\[[\d,]*\] ×2 kernel/);
    }
  });

  it('give a sibling that has no SIMD form (a gather) a scalar loop beside the others’ vector loop', async () => {
    const ix = tensor([Array.from({ length: 64 }, (_, i) => (i * 7) % 8)]).to('int32');
    const f = (x: Tensor, i: Tensor) => [sum(x, 0), gather(x, 0, i).get(0).add(x.get(0))];
    const { calls } = await compiled(f, a, ix);
    expect(calls).toEqual([
      expect.stringMatching(/out0, out1 = f64\[64\] ×2 kernel1\(in0, in1\) {2}1 nest, 1 in 2 lanes$/),
    ]);
  });

  it('keep a value that reads a sibling in a kernel of its own', async () => {
    const f = (x: Tensor) => {
      const s = sum(x, 0);
      return [s, s.mul(2).add(sum(x.sin(), 0))];
    };
    const { calls, kernels } = await compiled(f, a);
    expect(kernels).toBe(2);
    expect(calls.join('\n')).not.toContain('×');
  });

  it('keep a value that reads an array computed after the group would run in a kernel of its own', async () => {
    // u runs first; t (another shape) after it; v reads x like u does, but also t, which does not exist yet
    // where u is computed: computing v beside u would read t before it is written
    const f = (x: Tensor) => {
      const u = sum(x.exp(), 0);
      const t = sum(x.sin(), 1);
      const v = sum(x, 0).add(t.sum());
      return [u, t, v];
    };
    const { calls, kernels } = await compiled(f, a);
    expect(kernels).toBe(4); // u, t, Σt, v
    expect(calls.join('\n')).not.toContain('×');
  });

  // A value with rows (its second-to-last axis, unrolled in its loop) and reductions over those rows: the
  // reductions read the rows in registers, in the same loop, instead of loading them again in a pass of their own.
  const x3 = rand([5, 8, 64], { seed: 14, dtype: 'float64' });
  const y3 = rand([5, 1, 64], { seed: 15, dtype: 'float64' });

  // the same rows, or a concat of row blocks (the first 4 rows and the last 4 different expressions, each unrolled
  // row taking its own): one loop computes every row and the reductions over them
  it.each([
    ['the rows', (x: Tensor) => x.sin()],
    [
      'the blocks of a concat of rows',
      (x: Tensor) => cat([sliceAxis(x, 1, 0, 4).sin(), sliceAxis(x, 1, 4, 8).cos()], 1),
    ],
  ])('compute reductions over %s in the one unrolled loop that computes them', async (_, rows) => {
    const f = (x: Tensor, y: Tensor) => {
      const t = rows(x).mul(y);
      return [t, sum(t.mul(x), 1), sum(t, 1)];
    };
    const { calls, kernels } = await compiled(f, x3, y3);
    expect(kernels).toBe(1);
    expect(calls).toEqual([
      expect.stringMatching(
        /^ {2}out0, out1, out2 = f64\[5,8,64\], f64\[5,64\] ×2 kernel1\(in0, in1\) {2}1 nest, 1 in 2 lanes, 8 rows unrolled$/,
      ),
    ]);
  });

  it('join the rows only where the cells fill a vector: a pad’s ghost cells keep a scalar nest per block', async () => {
    const f = (x: Tensor, y: Tensor) => {
      const t = pad(
        cat([sliceAxis(x, 1, 0, 4).sin(), sliceAxis(x, 1, 4, 8).cos()], 1).mul(y),
        [1, 1],
        'circular',
      );
      return [t, sum(t, 1)];
    };
    const { calls } = await compiled(f, x3, y3);
    // ghost cell, interior, ghost cell; each ghost cell once per block of rows; the interior joined
    expect(calls).toEqual([
      expect.stringMatching(
        /^ {2}out0, out1 = f64\[5,8,66\], f64\[5,66\] kernel1\(in0, in1\) {2}5 nests, 1 in 2 lanes, 8 rows unrolled$/,
      ),
    ]);
  });

  it('compute the reductions apart, as siblings, when there are too many rows to unroll', async () => {
    const x16 = rand([5, 16, 64], { seed: 16, dtype: 'float64' });
    const f = (x: Tensor, y: Tensor) => {
      const t = x.sin().mul(y);
      return [t, sum(t.mul(x), 1), sum(t, 1)];
    };
    const { calls, kernels } = await compiled(f, x16, y3);
    expect(kernels).toBe(2);
    expect(calls).toEqual([
      expect.stringMatching(/^ {2}out0 = f64\[5,16,64\] kernel1\(/),
      expect.stringMatching(/^ {2}out1, out2 = f64\[5,64\] ×2 kernel2\(out0, in0\)/),
    ]);
  });

  it('compute the reductions apart, from the stored rows, when the rows have no SIMD form', async () => {
    // a gather has no vector form: the rows are looped over, not unrolled, and the sums read them once stored
    const ix = tensor(Array.from({ length: 5 * 8 * 64 }, (_, i) => (i * 7) % 64))
      .reshape(5, 8, 64)
      .to('int32');
    const f = (x: Tensor, i: Tensor) => {
      const t = gather(x, 2, i).mul(x);
      return [t, sum(t.exp(), 1)];
    };
    const { calls } = await compiled(f, x3, ix);
    expect(calls).toEqual([
      expect.stringMatching(/^ {2}out0 = f64\[5,8,64\] kernel1\(in1, in0\) {2}1 nest$/),
      expect.stringMatching(/^ {2}out1 = f64\[5,64\] kernel2\(out0\) /),
    ]);
  });
});
