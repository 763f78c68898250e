/**
 * A short outer dimension is unrolled inside one vector loop over the innermost (a transport step's
 * directions over its cells): each row reads its own shifted neighbours, all rows share the per-cell terms,
 * and the results equal eager's, with a scalar tail and circular ghost cells included.
 */
import { describe, expect, it } from 'vitest';
import { cat, fori, rand, roll, sliceAxis, type Tensor } from '../../../core/index';
import { jit, printProgram } from '../../../core/jit/index';
import { relErr } from '../../helpers/reference';

/** Rows 0..R/2-1 take their right neighbour, the others their left one; every row adds s². */
function step(I: Tensor, s: Tensor, k: Tensor): Tensor {
  const R = I.shape[0]!;
  const up = sliceAxis(I, 0, 0, R / 2);
  const down = sliceAxis(I, 0, R / 2, R);
  const left = up.add(
    roll(up, -1, 1)
      .sub(up)
      .mul(sliceAxis(k, 0, 0, R / 2)),
  );
  const right = down.add(
    roll(down, 1, 1)
      .sub(down)
      .mul(sliceAxis(k, 0, R / 2, R)),
  );
  return cat([left, right], 0).add(s.mul(s));
}

const cases = [
  { rows: 4, cells: 37, dtype: 'float32' as const },
  { rows: 8, cells: 402, dtype: 'float64' as const },
  // more rows than are unrolled: the plain nest
  { rows: 18, cells: 21, dtype: 'float64' as const },
];

describe('rows unrolled in one vector loop', () => {
  for (const { rows, cells, dtype } of cases) {
    it(`${rows} rows × ${cells} cells in ${dtype} equal eager over 5 steps`, async () => {
      const I0 = rand([rows, cells], { seed: rows, dtype });
      const s = rand([cells], { seed: 2, dtype }).mul(0.1);
      const k = rand([rows, 1], { seed: 3, dtype }).mul(0.5);
      const f = (I: Tensor, sv: Tensor, kv: Tensor) => fori(5, (c: Tensor) => step(c, sv, kv), I);
      const listing = printProgram(jit(f), I0, s, k);
      if (rows <= 8) expect(listing).toMatch(new RegExp(`, ${rows} rows unrolled`));
      else expect(listing).not.toMatch(/rows unrolled/);
      const out = (await jit(f, { backend: 'wasm', strict: true })(I0, s, k)) as Tensor;
      expect(relErr(out, f(I0, s, k))).toBeLessThan(dtype === 'float32' ? 1e-6 : 1e-14);
    });
  }
});
