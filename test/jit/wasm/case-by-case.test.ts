/** A vmapped function on wasm is staged and compiled for one case only, then run case by case. */
import { describe, expect, it } from 'vitest';
import { treeFlatten as flatten, rand, type Tensor, vmap } from '../../../core/index';
import { jit } from '../../../core/jit/index';
import { relErr } from '../../helpers/reference';

describe('wasm case by case', () => {
  it('never stages the whole batch of a vmapped function', async () => {
    let traced = 0;
    const f = vmap((x: Tensor) => {
      traced++;
      return x.sin().mul(x.sum());
    });
    const x = rand([12, 5], { seed: 7, dtype: 'float64' });
    const g = jit(f, { backend: 'auto', threads: false });
    const out = (await g(x)) as Tensor;
    expect(g.lastRun).toMatchObject({ backend: 'wasm', chunks: 12 });
    // one trace: the program of one case (the batch of 12 was never staged)
    expect(traced).toBe(1);
    expect(relErr(out, f(x))).toBeLessThan(1e-15);
  });

  // The default layout stages the mapped function on one case (BatchSplit.perCase); others stage the batched
  // function on a batch of one. Each must give vmap's own result, pytrees, shared inputs and all.
  const x = rand([6, 5], { seed: 3, dtype: 'float64' });
  const w = rand([5], { seed: 4, dtype: 'float64' });
  const body = (a: Tensor, { s }: { s: Tensor }) => ({
    y: a.sin().mul(s),
    m: [a.mul(a).add(a.sum()), s.cos()],
  });
  const layouts: [string, Parameters<typeof vmap>[1], [Tensor, { s: Tensor }]][] = [
    ['default dims, a shared input', { inDims: [0, { s: null }] }, [x, { s: w }]],
    ['inputs batched along axis 1', { inDims: [1, { s: null }] }, [x.transpose(), { s: w }]],
    ['outputs batched along axis 1', { inDims: [0, { s: 0 }], outDims: 1 }, [x, { s: x.cos() }]],
  ];
  for (const [what, dims, args] of layouts)
    it(`matches vmap with ${what}`, async () => {
      const f = vmap(body, dims);
      const want = flatten(f(...args))[0] as Tensor[];
      const g = jit(f, { backend: 'wasm', threads: false, strict: true });
      const got = flatten(await g(...args))[0] as Tensor[];
      expect(g.lastRun).toMatchObject({ backend: 'wasm', chunks: 6 });
      expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
      got.forEach((t, k) => {
        expect(relErr(t, want[k]!)).toBeLessThan(1e-14);
      });
    });
});
