/**
 * A scan that emits the carry entering each step (reverse mode's stored steps) keeps that carry in its stacked
 * output: step i reads row i and writes row i + 1, one extra row holds the final carry, and no step copies.
 */
import { describe, expect, it } from 'vitest';
import { grad, rand, scan, sum, type Tensor } from '../../../core/index';
import { jit, printProgram } from '../../../core/jit/index';
import { relErr } from '../../helpers/reference';

const h0 = rand([3], { seed: 4, dtype: 'float64' });
const xs = rand([5, 3], { seed: 3, dtype: 'float64' });
/** The running state, and every state entering a step. */
const states = (h: Tensor, x: Tensor) =>
  scan((c: Tensor, row: Tensor) => [c.mul(0.5).add(row.sin()), c], h, x);

describe('a scan that stores its entering carries', () => {
  it('keeps the carry in the stored rows, one kernel a step and no copies', () => {
    const listing = printProgram(jit(states), h0, xs).split('wasm program')[1]!;
    // the final carry is the extra row, ys0.0[5]; the stored rows are the first five
    expect(listing.slice(listing.indexOf('\n') + 1)).toMatchInlineSnapshot(`
      "  in0: f64[3]
        in1: f64[5,3]
        ys0.0[0] = copy in0
        loop i0 < 5 {
          ys0.0[i0+1] = f64[3] kernel1(ys0.0[i0], in1[i0])  1 nest, 1 in 2 lanes
        }
        out0 = copy ys0.0[5]
        out1 = copy ys0.0
        return out0, out1"
    `);
  });

  it('computes what eager does, the final carry included', async () => {
    const g = jit(states, { backend: 'wasm', strict: true });
    const [last, rows] = (await g(h0, xs)) as Tensor[];
    const [eLast, eRows] = states(h0, xs) as Tensor[];
    expect(rows!.shape).toEqual([5, 3]);
    expect(relErr(rows!, eRows!)).toBe(0);
    expect(relErr(last!, eLast!)).toBe(0);
  });

  it('copies a carry the step leaves unchanged into the next row, and stores one carry twice', async () => {
    const f = (h: Tensor, k: Tensor, x: Tensor) =>
      scan(
        (c: Tensor[], row: Tensor) => [
          [c[0]!.add(row.mul(c[1]!)), c[1]!],
          [c[0]!, c[1]!, c[0]!],
        ],
        [h, k],
        x,
      );
    const k = rand([3], { seed: 6, dtype: 'float64' });
    type Out = [Tensor[], Tensor[]];
    const [[a, b], [y0, y1, y2]] = (await jit(f, { backend: 'wasm', strict: true })(h0, k, xs)) as Out;
    const [[ea, eb], [e0, e1, e2]] = f(h0, k, xs) as unknown as Out;
    for (const [got, want] of [
      [a, ea],
      [b, eb],
      [y0, e0],
      [y1, e1],
      [y2, e2],
    ] as const)
      expect(relErr(got!, want!)).toBe(0);
  });

  it("gives a nested loop's reverse mode the eager gradient", async () => {
    const loss = (x: Tensor) =>
      sum(
        scan(
          (c: Tensor, row: Tensor) => [
            scan((d: Tensor) => [d.mul(0.9).add(row.cos()), null], c, null, { length: 4 })[0],
            c.mul(c),
          ],
          h0,
          x,
        )[1],
      );
    const g = jit(grad(loss), { backend: 'wasm', strict: true });
    expect(relErr((await g(xs)) as Tensor, grad(loss)(xs))).toBeLessThan(1e-13);
  });
});
