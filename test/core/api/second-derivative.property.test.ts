/** grad(grad(f)) of random scalar expressions against their exact second derivatives (chain rule in plain JS). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../../core/index';
import * as C from '../../../core/index';
import { assertClose } from '../support/close';
import { randomScalarExpr } from '../support/jets';

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const pointArb = fc.double({ min: -1.5, max: 1.5, noNaN: true });
const tol = (v: number, what: string) => ({ rtol: 1e-10, atol: 1e-12 * Math.max(1, Math.abs(v)), what });

describe('second derivatives of scalar functions of a scalar', () => {
  it('grad(f) and grad(grad(f)) equal the analytic f′ and f″', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 4 }), pointArb, (seed, depth, x0) => {
        const e = randomScalarExpr(seed, depth);
        const exact = e.jet(x0);
        const x = C.tensor(x0);
        assertClose(e.tensor(x), C.tensor(exact.v), tol(exact.v, e.text));
        assertClose(C.grad(e.tensor)(x), C.tensor(exact.d1), tol(exact.d1, e.text));
        assertClose(C.grad(C.grad(e.tensor))(x), C.tensor(exact.d2), tol(exact.d2, e.text));
      }),
      { numRuns: 40 },
    );
  });

  it('every second-order composition (hessian, jacfwd∘grad, jvp of grad) gives f″, also under vmap', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 3 }), (seed, depth) => {
        const e = randomScalarExpr(seed, depth);
        const xs = C.rand([4], { seed, low: -1.5, high: 1.5 });
        const exact = C.tensor(Array.from(xs.toTypedArray(), (v) => e.jet(v).d2));
        const what = {
          rtol: 1e-10,
          atol: 1e-12 * Math.max(1, ...Array.from(exact.toTypedArray(), Math.abs)),
          what: e.text,
        };
        const f = (x: Tensor) => C.reshape(e.tensor(x), []);
        const viaJvp = (x: Tensor) => C.jvp(C.grad(f), [x], [C.onesLike(x)])[1] as Tensor;
        for (const d2 of [C.hessian(f), C.jacfwd(C.grad(f)), C.jacrev(C.grad(f)), viaJvp])
          assertClose(C.vmap(d2)(xs), exact, what);
      }),
      { numRuns: 25 },
    );
  });

  it('valueGradHessian (forward over forward) equals f, grad and hessian, through a loop and with argnums', () => {
    // f(a, x) = Σ sin(a · cumulative products of x over 5 steps): the hessian is dense and not symmetric per term
    const f = (a: Tensor, x: Tensor) =>
      C.sum(C.sin(C.fori(5, (h: Tensor) => h.mul(x).add(0.3), C.onesLike(x)).mul(a)));
    const a = C.tensor(0.7);
    const x = C.tensor([0.9, -0.4, 1.1]);
    const [v, g, H] = C.valueGradHessian(f, { argnums: 1 })(a, x);
    const what = (w: string) => ({ rtol: 1e-12, atol: 1e-13, what: w });
    assertClose(v, f(a, x), what('value'));
    assertClose(g, C.grad(f, { argnums: 1 })(a, x), what('gradient'));
    assertClose(H, C.hessian(f, { argnums: 1 })(a, x), what('hessian'));
    expect(H.shape).toEqual([3, 3]);
    // and a scalar's f″ under vmap, as the compositions above
    const e = randomScalarExpr(7, 3);
    const xs = C.rand([4], { seed: 7, low: -1.5, high: 1.5 });
    const second = (s: Tensor) => C.valueGradHessian((y: Tensor) => C.reshape(e.tensor(y), []))(s)[2];
    const exact = C.tensor(Array.from(xs.toTypedArray(), (y) => e.jet(y).d2));
    assertClose(C.vmap(second)(xs), exact, { rtol: 1e-10, atol: 1e-12, what: e.text });
  });
});
