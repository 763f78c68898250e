/**
 * The property suite on programs made only of the composite ops (softmax, logSoftmax, logsumexp, prod, cumsum,
 * cumprod, roll, einsum, relu, clamp, max/min with indices, argmax/argmin): derivatives against finite
 * differences, forward against reverse mode, vmap against the loop, sparsity patterns against the truth.
 * (The general suites draw these ops too, mixed with the primitives.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../../core/index';
import * as C from '../../../core/index';
import { assertClose, scaleOf } from '../support/close';
import { centralDifference, finiteDifferenceJacobian, inner } from '../support/finite-diff';
import { randomProgram, sampleInput, shapeFrom } from '../support/random-programs';

const RUNS = 25;
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

function setup(seed: number, smooth: boolean, maxRank = 3) {
  const shape = shapeFrom(seed, 0, maxRank);
  const x = sampleInput(shape, seed);
  const prog = randomProgram(seed, x, { smooth, ops: 'composite', steps: 3 });
  return {
    shape,
    x,
    prog,
    t: sampleInput(shape, seed + 1, -1, 1),
    v: sampleInput(prog.outShape, seed + 2, -1, 1),
  };
}
const fdTol = (e: Tensor, what: string) => ({ rtol: 1e-5, atol: 1e-6 * scaleOf(e), what });

describe('composite ops: derivatives', () => {
  it('jvp and vjp equal finite differences', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const { x, t, v, prog } = setup(seed, true);
        const [y, jt] = C.jvp(prog.run, [x], [t]) as [Tensor, Tensor];
        assertClose(y, prog.run(x), { what: prog.text });
        const fd = centralDifference(prog.run, x, t);
        assertClose(jt, fd, fdTol(fd, prog.text));
        const [, pullback] = C.vjp(prog.run, x);
        const ct = pullback(v)[0] as Tensor;
        const fdT = C.reshape(
          finiteDifferenceJacobian((z) => C.tensor(inner(v, prog.run(z))), x),
          x.shape,
        );
        assertClose(ct, fdT, fdTol(fdT, prog.text));
      }),
      { numRuns: RUNS },
    );
  });

  it('second derivatives: jacfwd(jacrev(f)) equals differences of jacrev(f)', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const { x, prog } = setup(seed, true, 2);
        const fd = finiteDifferenceJacobian(C.jacrev(prog.run), x);
        assertClose(C.jacfwd(C.jacrev(prog.run))(x) as Tensor, fd, fdTol(fd, prog.text));
      }),
      { numRuns: 15 },
    );
  });

  it('jacfwd equals jacrev, kinks included (relu, clamp, max/min values, argmax)', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const { x, prog } = setup(seed, false);
        const fwd = C.jacfwd(prog.run)(x) as Tensor;
        assertClose(C.jacrev(prog.run)(x) as Tensor, fwd, {
          rtol: 1e-10,
          atol: 1e-12 * scaleOf(fwd),
          what: prog.text,
        });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('composite ops: vmap and sparsity', () => {
  it('vmap equals the stacked loop (batch at axis 0 and at the last axis)', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 3 }), (seed, b) => {
        const { shape, prog } = setup(seed, false);
        const xs = sampleInput([b, ...shape], seed + 3);
        const loop = C.stack(Array.from({ length: b }, (_, i) => prog.run(xs.get(i))));
        const tight = { rtol: 1e-12, atol: 1e-12, what: prog.text };
        assertClose(C.vmap(prog.run)(xs), loop, tight);
        assertClose(C.vmap(prog.run, { inDims: -1 })(C.movedim(xs, 0, -1)), loop, tight);
      }),
      { numRuns: RUNS },
    );
  });

  it('the true nonzeros lie in the local pattern, which lies in the global one', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const x = sampleInput(shapeFrom(seed, 1, 3, 4), seed);
        const prog = randomProgram(seed, x, { ops: 'composite', steps: 3 });
        const J = C.jacfwd(prog.run)(x) as Tensor;
        const truth = C.SparsityPattern.fromDense(C.reshape(J, [J.size / x.size, x.size]));
        const local = C.jacobianSparsity(prog.run, { local: true })(x);
        const global = C.jacobianSparsity(prog.run)(x);
        expect(truth.isSubsetOf(local), prog.text).toBe(true);
        expect(local.isSubsetOf(global), prog.text).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
