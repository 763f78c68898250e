/** vmap(f) must equal running f on every batch element and stacking, for random programs over every op. */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Tensor } from '../../../core/index';
import * as C from '../../../core/index';
import { assertClose } from '../support/close';
import { type Program, randomProgram, sampleInput, shapeFrom } from '../support/random-programs';

const RUNS = 30;
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const batchArb = fc.integer({ min: 1, max: 3 });
// Batched and per-element runs do the same float operations, so only rounding-level slack is allowed.
const tight = (p: Program) => ({ rtol: 1e-12, atol: 1e-12, what: p.text });

const stackOver = (n: number, f: (i: number) => Tensor): Tensor =>
  C.stack(Array.from({ length: n }, (_, i) => f(i)));

function setup(seed: number, smooth = false) {
  const shape = shapeFrom(seed, 0, 3);
  const prog = randomProgram(seed, sampleInput(shape, seed), { smooth });
  return { shape, prog };
}

describe('vmap equals the stacked loop', () => {
  it('over axis 0', () => {
    fc.assert(
      fc.property(seedArb, batchArb, (seed, b) => {
        const { shape, prog } = setup(seed);
        const xs = sampleInput([b, ...shape], seed + 1);
        assertClose(
          C.vmap(prog.run)(xs),
          stackOver(b, (i) => prog.run(xs.get(i))),
          tight(prog),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('with inDims 1 and outDims 1', () => {
    fc.assert(
      fc.property(seedArb, batchArb, (seed, b) => {
        const { shape, prog } = setup(seed);
        const xs = sampleInput([b, ...shape], seed + 1);
        const expected = stackOver(b, (i) => prog.run(xs.get(i)));
        const inDim = shape.length >= 1 ? 1 : 0;
        assertClose(C.vmap(prog.run, { inDims: inDim })(C.movedim(xs, 0, inDim)), expected, tight(prog));
        const outDim = prog.outShape.length >= 1 ? 1 : 0;
        assertClose(C.vmap(prog.run, { outDims: outDim })(xs), C.movedim(expected, 0, outDim), tight(prog));
        assertClose(C.vmap(prog.run, { outDims: -1 })(xs), C.movedim(expected, 0, -1), tight(prog));
      }),
      { numRuns: RUNS },
    );
  });

  it('nested, over two batch axes in either order', () => {
    fc.assert(
      fc.property(seedArb, batchArb, batchArb, (seed, b1, b2) => {
        const { shape, prog } = setup(seed);
        const xs = sampleInput([b1, b2, ...shape], seed + 1);
        const expected = stackOver(b1, (i) => stackOver(b2, (j) => prog.run(xs.get(i, j))));
        assertClose(C.vmap(C.vmap(prog.run))(xs), expected, tight(prog));
        // The outer vmap maps axis 1 of the swapped input, the inner one axis 0 of what is left.
        const swapped = C.movedim(xs, 0, 1);
        assertClose(C.vmap(C.vmap(prog.run), { inDims: 1 })(swapped), expected, tight(prog));
      }),
      { numRuns: 20 },
    );
  });

  it('with chunkSize, unbatched arguments (inDims null) and arguments batched at different axes', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 2, max: 5 }), (seed, b) => {
        const { shape, prog } = setup(seed);
        const xs = sampleInput([b, ...shape], seed + 1);
        const expected = stackOver(b, (i) => prog.run(xs.get(i)));
        assertClose(C.vmap(prog.run, { chunkSize: 2 })(xs), expected, tight(prog));

        const c = sampleInput(shape, seed + 2);
        const withConst = (x: Tensor, k: Tensor) => C.add(prog.run(C.mul(x, k)), k.sum());
        assertClose(
          C.vmap(withConst, { inDims: [0, null] })(xs, c),
          stackOver(b, (i) => withConst(xs.get(i), c)),
          tight(prog),
        );

        if (shape.length === 0) return;
        const ys = sampleInput([b, ...shape], seed + 3);
        const two = (x: Tensor, y: Tensor) => prog.run(C.add(x, C.mul(y, 0.5)));
        assertClose(
          C.vmap(two, { inDims: [0, -1] })(xs, C.movedim(ys, 0, -1)),
          stackOver(b, (i) => two(xs.get(i), ys.get(i))),
          tight(prog),
        );
      }),
      { numRuns: 20 },
    );
  });
});

describe('vmap of a transform equals the stacked transform', () => {
  it('vmap(jacrev(f)) and vmap(jacfwd(f))', () => {
    fc.assert(
      fc.property(seedArb, batchArb, (seed, b) => {
        const { shape, prog } = setup(seed);
        const xs = sampleInput([b, ...shape], seed + 1);
        const what = { rtol: 1e-10, atol: 1e-10, what: prog.text };
        for (const jac of [C.jacrev(prog.run), C.jacfwd(prog.run)])
          assertClose(
            C.vmap(jac)(xs),
            stackOver(b, (i) => jac(xs.get(i))),
            what,
          );
      }),
      { numRuns: 20 },
    );
  });

  it('vmap over the tangents of jvp and the cotangents of vjp', () => {
    fc.assert(
      fc.property(seedArb, batchArb, (seed, b) => {
        const { shape, prog } = setup(seed);
        const x = sampleInput(shape, seed + 1);
        const ts = sampleInput([b, ...shape], seed + 2);
        const jvpAt = (t: Tensor) => C.jvp(prog.run, [x], [t])[1] as Tensor;
        assertClose(
          C.vmap(jvpAt)(ts),
          stackOver(b, (i) => jvpAt(ts.get(i))),
          tight(prog),
        );
        const [, pullback] = C.vjp(prog.run, x);
        const vs = sampleInput([b, ...prog.outShape], seed + 3);
        const vjpAt = (v: Tensor) => pullback(v)[0] as Tensor;
        assertClose(
          C.vmap(vjpAt)(vs),
          stackOver(b, (i) => vjpAt(vs.get(i))),
          tight(prog),
        );
      }),
      { numRuns: 20 },
    );
  });
});
