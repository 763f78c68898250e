/**
 * scan against the unrolled loop: values, and grad / jacfwd / hessian / vmap through it, with gradients
 * identical for every number of checkpoints. Bodies are random programs that close over a parameter.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Tensor } from '../../../core/index';
import * as C from '../../../core/index';
import { assertClose, scaleOf } from '../support/close';
import { randomProgram, sampleInput, shapeFrom } from '../support/random-programs';

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const lengthArb = fc.integer({ min: 1, max: 6 });

/** Flatten, then cut or zero-pad to `shape`'s size: lets any program's output feed the carry back. */
function fitTo(y: Tensor, shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const flat = y.flatten();
  const cut = flat.size >= n ? flat.get(`:${n}`) : C.pad(flat, [0, n - flat.size]);
  return C.reshape(cut, shape);
}

function setup(seed: number, length: number) {
  const shape = shapeFrom(seed, 0, 2);
  const prog = randomProgram(seed, sampleInput(shape, seed), { smooth: true, steps: 3 });
  /** One step; theta is closed over (a constant of the staged body, a tracer when differentiated). */
  const makeBody =
    (theta: Tensor) =>
    (c: Tensor, x: Tensor): [Tensor, Tensor] => {
      const next = C.add(
        C.mul(c, 0.6),
        C.mul(C.tanh(fitTo(prog.run(C.add(c, C.mul(x, theta))), shape)), 0.4),
      );
      return [next, C.sum(C.mul(next, next))];
    };
  const viaScan = (init: Tensor, xs: Tensor, theta: Tensor, checkpoints?: number) =>
    C.scan(makeBody(theta), init, xs, checkpoints === undefined ? {} : { checkpoints });
  const unrolled = (init: Tensor, xs: Tensor, theta: Tensor): [Tensor, Tensor] => {
    const body = makeBody(theta);
    let c = init;
    const ys: Tensor[] = [];
    for (let i = 0; i < length; i++) {
      const [next, y] = body(c, xs.get(i));
      c = next;
      ys.push(y);
    }
    return [c, C.stack(ys)];
  };
  /** A scalar of everything the loop produces, so gradients see both the final carry and the ys. */
  const lossOf =
    (run: (i: Tensor, x: Tensor, th: Tensor) => [Tensor, Tensor]) =>
    (init: Tensor, xs: Tensor, theta: Tensor) => {
      const [c, ys] = run(init, xs, theta);
      return C.add(C.sum(C.sin(c)), C.sum(C.mul(ys, C.linspace(0.5, 1.5, length))));
    };
  return {
    prog,
    shape,
    init: sampleInput(shape, seed + 1),
    xs: sampleInput([length, ...shape], seed + 2, -0.5, 0.5),
    theta: sampleInput(shape, seed + 3, 0.5, 1),
    viaScan,
    unrolled,
    lossOf,
  };
}

const tol = (expected: Tensor, what: string) => ({ rtol: 1e-10, atol: 1e-12 * scaleOf(expected), what });

describe('scan equals the unrolled loop', () => {
  it('final carry and stacked per-step outputs', () => {
    fc.assert(
      fc.property(seedArb, lengthArb, (seed, length) => {
        const s = setup(seed, length);
        const [c, ys] = s.viaScan(s.init, s.xs, s.theta);
        const [c2, ys2] = s.unrolled(s.init, s.xs, s.theta);
        assertClose(c, c2, tol(c2, s.prog.text));
        assertClose(ys, ys2, tol(ys2, s.prog.text));
      }),
      { numRuns: 30 },
    );
  });

  it('grad w.r.t. init, xs and a closed-over parameter; the same to rounding for checkpoints 1, 2, 3 and default', () => {
    fc.assert(
      fc.property(seedArb, lengthArb, (seed, length) => {
        const s = setup(seed, length);
        const argnums = [0, 1, 2];
        const expected = C.grad(s.lossOf(s.unrolled), { argnums })(s.init, s.xs, s.theta) as Tensor[];
        const byDefault = C.grad(s.lossOf(s.viaScan), { argnums })(s.init, s.xs, s.theta) as Tensor[];
        byDefault.forEach((g, i) => {
          assertClose(g, expected[i]!, tol(expected[i]!, s.prog.text));
        });
        for (const k of [1, 2, 3, length]) {
          const run = (i: Tensor, x: Tensor, th: Tensor) => s.viaScan(i, x, th, k);
          const grads = C.grad(s.lossOf(run), { argnums })(s.init, s.xs, s.theta) as Tensor[];
          // segments sum the cotangents of closed-over values in another order: equal up to rounding
          grads.forEach((g, i) => {
            assertClose(g, byDefault[i]!, {
              rtol: 1e-13,
              atol: 1e-15 * scaleOf(byDefault[i]!),
              what: `checkpoints ${k}`,
            });
          });
        }
      }),
      { numRuns: 25 },
    );
  });

  it('jacfwd and hessian (forward over reverse through the loop)', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 4 }), (seed, length) => {
        const s = setup(seed, length);
        // w.r.t. the initial carry, the per-step inputs and the closed-over parameter (a constant of the body).
        const outputsOf = (run: typeof s.viaScan) => (init: Tensor, xs: Tensor, theta: Tensor) =>
          run(init, xs, theta);
        const argnums = [0, 1, 2];
        const want = C.jacfwd(outputsOf(s.unrolled), { argnums })(s.init, s.xs, s.theta) as Tensor[][];
        const got = C.jacfwd(outputsOf(s.viaScan), { argnums })(s.init, s.xs, s.theta) as Tensor[][];
        want.forEach((perOutput, o) => {
          perOutput.forEach((jac, a) => {
            assertClose(got[o]![a]!, jac, tol(jac, s.prog.text));
          });
        });
        const lossIn = (run: typeof s.viaScan) => (theta: Tensor) => s.lossOf(run)(s.init, s.xs, theta);
        const hess = C.hessian(lossIn(s.unrolled))(s.theta) as Tensor;
        assertClose(C.hessian(lossIn(s.viaScan))(s.theta), hess, tol(hess, s.prog.text));
      }),
      { numRuns: 20 },
    );
  });

  it('vmap over initial carries, over xs (batch inside the time axis), and over both', () => {
    fc.assert(
      fc.property(seedArb, lengthArb, fc.integer({ min: 1, max: 3 }), (seed, length, b) => {
        const s = setup(seed, length);
        const inits = sampleInput([b, ...s.shape], seed + 4);
        const xss = sampleInput([b, length, ...s.shape], seed + 5, -0.5, 0.5);
        const stacked = (f: (i: number) => [Tensor, Tensor]) => {
          const parts = Array.from({ length: b }, (_, i) => f(i));
          return [C.stack(parts.map((p) => p[0])), C.stack(parts.map((p) => p[1]))] as const;
        };
        const check = (got: Tensor[], want: readonly Tensor[]) => {
          got.forEach((g, k) => {
            assertClose(g, want[k]!, tol(want[k]!, s.prog.text));
          });
        };
        const scanInit = (init: Tensor) => s.viaScan(init, s.xs, s.theta);
        check(
          C.vmap(scanInit)(inits),
          stacked((i) => s.unrolled(inits.get(i), s.xs, s.theta)),
        );
        // xs batched at axis 1 of a [length, b, ...] tensor: the batch is not the scanned axis.
        const scanXs = (xs: Tensor) => s.viaScan(s.init, xs, s.theta);
        check(
          C.vmap(scanXs, { inDims: 1 })(C.movedim(xss, 0, 1)),
          stacked((i) => s.unrolled(s.init, xss.get(i), s.theta)),
        );
        const both = (init: Tensor, xs: Tensor) => s.viaScan(init, xs, s.theta);
        check(
          C.vmap(both)(inits, xss),
          stacked((i) => s.unrolled(inits.get(i), xss.get(i), s.theta)),
        );
      }),
      { numRuns: 20 },
    );
  });

  it('vmap of grad through scan equals the per-example gradients', () => {
    fc.assert(
      fc.property(seedArb, lengthArb, fc.integer({ min: 1, max: 3 }), (seed, length, b) => {
        const s = setup(seed, length);
        const thetas = sampleInput([b, ...s.shape], seed + 6, 0.5, 1);
        const g = (theta: Tensor) => C.grad((th: Tensor) => s.lossOf(s.viaScan)(s.init, s.xs, th))(theta);
        const gUnrolled = (theta: Tensor) =>
          C.grad((th: Tensor) => s.lossOf(s.unrolled)(s.init, s.xs, th))(theta) as Tensor;
        const want = C.stack(Array.from({ length: b }, (_, i) => gUnrolled(thetas.get(i))));
        assertClose(C.vmap(g)(thetas), want, tol(want, s.prog.text));
      }),
      { numRuns: 20 },
    );
  });
});

describe('fori', () => {
  it('applies the body n times', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 0, max: 6 }), (seed, n) => {
        const x = sampleInput([3], seed);
        const body = (c: Tensor) => C.add(C.mul(C.cos(c), 0.9), 0.1);
        let want = x;
        for (let i = 0; i < n; i++) want = body(want);
        assertClose(C.fori(n, body, x), want);
        const g = C.grad((z: Tensor) => C.sum(C.fori(n, body, z)))(x) as Tensor;
        let gWant = C.onesLike(x) as Tensor;
        // d/dz of n compositions: product of the per-step derivatives -0.9·sin(c_k).
        let c = x as Tensor;
        for (let i = 0; i < n; i++) {
          gWant = C.mul(gWant, C.mul(C.sin(c), -0.9));
          c = body(c);
        }
        assertClose(g, gWant, { rtol: 1e-12, atol: 1e-14 });
      }),
      { numRuns: 20 },
    );
  });
});
