/**
 * A scan over a flipped array (what reverse mode's backward loop reads) walks the stored rows from the last
 * one in place: the program holds no reversed copy, and computes what eager does.
 */
import { describe, expect, it } from 'vitest';
import { flip, grad, rand, scan, sum, type Tensor } from '../../../core/index';
import { jit, printProgram } from '../../../core/jit/index';
import { relErr } from '../../helpers/reference';

const xs = rand([5, 3], { seed: 3, dtype: 'float64' });
const h0 = rand([3], { seed: 4, dtype: 'float64' });
// a running value, folded over the steps last to first, emitting every partial state
const backwardFold = (h: Tensor, x: Tensor) =>
  scan((c: Tensor, row: Tensor) => [c.mul(0.5).add(row.sin()), c], h, flip(x, [0]));

describe('scans reading a flipped array', () => {
  it('read it in place, last row first, with the same values as eager', async () => {
    const f = (h: Tensor, x: Tensor) => {
      const [last, states] = backwardFold(h, x);
      return [last, states];
    };
    const listing = printProgram(jit(f), h0, xs).split('wasm program')[1]!;
    expect(listing).toContain('in1[4-i0]');
    expect(listing).not.toMatch(/f64\[5,3\] kernel/);
    const g = jit(f, { backend: 'wasm', strict: true });
    const [a, b] = (await g(h0, xs)) as Tensor[];
    const [ea, eb] = f(h0, xs) as Tensor[];
    expect(relErr(a!, ea!)).toBeLessThan(1e-15);
    expect(relErr(b!, eb!)).toBeLessThan(1e-15);
  });

  it('gives reverse mode of a scan the eager gradient', async () => {
    const loss = (x: Tensor) => sum(scan((c: Tensor, row: Tensor) => [c.mul(row).add(1), c.sin()], h0, x)[1]);
    const g = jit(grad(loss), { backend: 'wasm', strict: true });
    expect(relErr((await g(xs)) as Tensor, grad(loss)(xs))).toBeLessThan(1e-13);
    expect(printProgram(g, xs)).toMatch(/\[4-i\d+\]/);
  });
});
