/** A vmapped function on wasm is staged and compiled for one case only, then run case by case. */
import { describe, expect, it } from 'vitest';
import { rand, type Tensor, vmap } from '../../../core/index';
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
});
