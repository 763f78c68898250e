/**
 * Forward and reverse mode on random programs: against central finite differences (smooth programs only,
 * inputs where log/sqrt/div are safe by construction), against each other, and the adjoint identity.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Tensor } from '../../../core/index';
import * as C from '../../../core/index';
import { assertClose, scaleOf } from '../support/close';
import { centralDifference, finiteDifferenceJacobian, inner } from '../support/finite-diff';
import { randomProgram, sampleInput, shapeFrom } from '../support/random-programs';

const RUNS = 30;
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

function setup(seed: number, smooth: boolean, maxRank = 3) {
  const shape = shapeFrom(seed, 0, maxRank);
  const x = sampleInput(shape, seed);
  const prog = randomProgram(seed, x, { smooth });
  return { x, prog, t: sampleInput(shape, seed + 1, -1, 1), v: sampleInput(prog.outShape, seed + 2, -1, 1) };
}

/**
 * Central differences with eps 1e-6 err by ~eps²·f''' (truncation) plus ~1e-16·|f|/eps (rounding); for these
 * well-conditioned programs that is far below rtol 1e-5 with an absolute floor scaled to the values.
 */
const fdTolerance = (expected: Tensor, what: string) => ({
  rtol: 1e-5,
  atol: 1e-6 * scaleOf(expected),
  what,
});

describe('derivatives against central finite differences', () => {
  it('jvp equals (f(x + εt) - f(x - εt)) / 2ε', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const { x, t, prog } = setup(seed, true);
        const [y, jt] = C.jvp(prog.run, [x], [t]) as [Tensor, Tensor];
        assertClose(y, prog.run(x), { what: prog.text });
        const fd = centralDifference(prog.run, x, t);
        assertClose(jt, fd, fdTolerance(fd, prog.text));
      }),
      { numRuns: RUNS },
    );
  });

  it('vjp equals the finite-difference Jacobian transposed onto a cotangent', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const { x, v, prog } = setup(seed, true);
        const [y, pullback] = C.vjp(prog.run, x);
        assertClose(y as Tensor, prog.run(x), { what: prog.text });
        const [ct] = pullback(v) as [Tensor];
        // J^T v by differences of the scalar <v, f(x)> along every input axis.
        const fd = finiteDifferenceJacobian((z) => C.tensor(inner(v, prog.run(z))), x);
        const expected = C.reshape(fd, x.shape);
        assertClose(ct, expected, fdTolerance(expected, prog.text));
      }),
      { numRuns: RUNS },
    );
  });

  it('jacfwd(jacrev(f)) equals differences of the Jacobian', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const { x, prog } = setup(seed, true, 2);
        const hess = C.jacfwd(C.jacrev(prog.run))(x) as Tensor;
        const fd = finiteDifferenceJacobian(C.jacrev(prog.run), x);
        assertClose(hess, fd, fdTolerance(fd, prog.text));
      }),
      { numRuns: 20 },
    );
  });
});

describe('forward and reverse mode agree', () => {
  it('jacfwd(f) equals jacrev(f), non-smooth ops included', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const { x, prog } = setup(seed, false);
        const fwd = C.jacfwd(prog.run)(x) as Tensor;
        assertClose(C.jacrev(prog.run)(x), fwd, { rtol: 1e-10, atol: 1e-12 * scaleOf(fwd), what: prog.text });
        assertClose(C.jacfwd(prog.run, { chunkSize: 2 })(x), fwd, { what: prog.text });
        assertClose(C.jacrev(prog.run, { chunkSize: 3 })(x), C.jacrev(prog.run)(x), { what: prog.text });
      }),
      { numRuns: RUNS },
    );
  });

  it('<v, J t> = <Jᵀ v, t>', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const { x, t, v, prog } = setup(seed, false);
        const [, jt] = C.jvp(prog.run, [x], [t]) as [Tensor, Tensor];
        const [, pullback] = C.vjp(prog.run, x);
        const lhs = inner(v, jt);
        const rhs = inner(pullback(v)[0] as Tensor, t);
        const scale = Math.max(1, scaleOf(jt) * v.size);
        if (!(Math.abs(lhs - rhs) <= 1e-12 * scale))
          throw new Error(`${prog.text}\n<v, Jt> = ${lhs} but <Jᵀv, t> = ${rhs}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('linearize(f) gives f(x) and the same J t as jvp', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const { x, t, prog } = setup(seed, false);
        const [y, jvpFn] = C.linearize(prog.run, x);
        const [y2, jt] = C.jvp(prog.run, [x], [t]) as [Tensor, Tensor];
        assertClose(y as Tensor, y2, { what: prog.text });
        assertClose(jvpFn(t) as Tensor, jt, { rtol: 1e-10, atol: 1e-12 * scaleOf(jt), what: prog.text });
        // A linear map: twice the tangent, twice the output.
        assertClose(jvpFn(C.mul(t, 2)) as Tensor, C.mul(jt, 2), {
          rtol: 1e-10,
          atol: 1e-12 * scaleOf(jt),
          what: prog.text,
        });
      }),
      // 1961689151 grows a rank-5 value that once reached einsum with four axis labels
      { numRuns: RUNS, examples: [[1961689151]] },
    );
  });

  it('jacfwd(jacrev(f)) equals jacrev(jacfwd(f)), jacrev(jacrev(f)) and hessian(f)', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const { x, prog } = setup(seed, true, 2);
        const fr = C.jacfwd(C.jacrev(prog.run))(x) as Tensor;
        const tol = { rtol: 1e-9, atol: 1e-11 * scaleOf(fr), what: prog.text };
        assertClose(C.jacrev(C.jacfwd(prog.run))(x), fr, tol);
        assertClose(C.jacrev(C.jacrev(prog.run))(x), fr, tol);
        assertClose(C.hessian(prog.run)(x), fr, tol);
      }),
      { numRuns: 20 },
    );
  });

  it('grad of <v, f(x)> equals the vjp with v', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const { x, v, prog } = setup(seed, false);
        const g = C.grad((z: Tensor) => C.sum(C.mul(prog.run(z), v)))(x) as Tensor;
        const [, pullback] = C.vjp(prog.run, x);
        const ct = pullback(v)[0] as Tensor;
        assertClose(g, ct, { rtol: 1e-10, atol: 1e-12 * scaleOf(ct), what: prog.text });
      }),
      { numRuns: RUNS },
    );
  });
});
