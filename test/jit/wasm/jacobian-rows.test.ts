/**
 * jit of a function made by jacfwd or jacrev runs its basis rows in chunks on one compiled wasm program (the rows
 * an input): the same Jacobians as eager, with argnums, aux, pytrees and a tail chunk.
 */
import { describe, expect, it } from 'vitest';
import { jacfwd, jacrev, rand, type Tensor } from '../../../core/index';
import { jit } from '../../../core/jit/index';
import { relErr } from '../../helpers/reference';

const x = rand([37], { seed: 1 });
const y = rand([5], { seed: 2 });
const f = (a: Tensor, b: Tensor) => [a.sin().mul(b.sum()).add(a.get('::-1')), b.exp().mul(a.get(':5'))];

describe('Jacobians by chunks of basis rows on wasm', () => {
  it.each([
    ['jacfwd', jacfwd],
    ['jacrev', jacrev],
  ] as const)(
    '%s over two arguments equals eager, in three runs of one program per chunk size',
    async (_, jac) => {
      const J = jac(f, { argnums: [0, 1] });
      const want = J(x, y) as Tensor[][];
      const g = jit(J, { backend: 'wasm', strict: true });
      const got = (await g(x, y)) as Tensor[][];
      expect(g.lastRun!.backend).toBe('wasm');
      // 42 inputs (jacfwd) or 42 outputs (jacrev): chunks of 14, a divisor of 42 (one program serves all three)
      expect(g.lastRun!.chunks).toBe(3);
      want.forEach((row, i) => {
        row.forEach((w, j) => {
          expect(got[i]![j]!.shape).toEqual(w.shape);
          expect(relErr(got[i]![j]!, w)).toBeLessThan(1e-12);
        });
      });
    },
  );

  it('keeps aux and a single argnum', async () => {
    const h = (a: Tensor) => [a.mul(a).get(':3'), a.amax()];
    const J = jacrev(h, { hasAux: true });
    const [want, auxWant] = J(x) as [Tensor, Tensor];
    const [got, aux] = (await jit(J, { backend: 'wasm', strict: true })(x)) as [Tensor, Tensor];
    expect(relErr(got, want)).toBeLessThan(1e-12);
    expect(aux.item()).toBe(auxWant.item());
  });
});
