/**
 * Merging a scan's repeated inputs: carries with one start that the body keeps equal become one (the largest
 * fixpoint, so a pair that swaps roles merges too), carries that drift apart stay, nested scans merge through
 * their parent, and every value stays what it was.
 */
import { describe, expect, it } from 'vitest';
import {
  evalJaxpr,
  jacfwd,
  printJaxpr,
  rand,
  scan,
  type Tensor,
  tensor,
  valueGradHessian,
} from '../../../core/index';
import { cseJaxpr } from '../../../core/ir/cse';
import { dedupeScans } from '../../../core/ir/dedupe-scans';
import type { Jaxpr } from '../../../core/ir/jaxpr';
import { makeJaxpr } from '../../../core/ir/stage';

const scans = (j: Jaxpr) => j.eqns.filter((e) => e.prim.name === 'scan');
const carriesOf = (j: Jaxpr) => scans(j).map((e) => e.params.numCarry as number);

/** Stage f on args, simplify as the wasm target does, and check the values are unchanged. */
function simplified(f: (...a: Tensor[]) => Tensor | Tensor[], args: Tensor[]) {
  const asList = (...a: Tensor[]) => {
    const out = f(...a);
    return Array.isArray(out) ? out : [out];
  };
  const { jaxpr, consts } = makeJaxpr(asList, args, true);
  const before = cseJaxpr(jaxpr, consts as never);
  const after = cseJaxpr(dedupeScans(before));
  const want = evalJaxpr(jaxpr, [...consts, ...args]);
  const got = evalJaxpr(after, [...consts, ...args]);
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => {
    expect(Array.from(g.concrete('t').data)).toEqual(Array.from(want[i]!.concrete('t').data));
  });
  return { before, after };
}

describe('dedupeScans', () => {
  const x = rand([3], { seed: 1 });

  it('merges carries that start from one value and step alike, and their stacked records', () => {
    const f = (x: Tensor) => {
      const [[a, b], ys] = scan(
        ([a, b]: Tensor[]) => [
          [a!.mul(0.9).sin(), b!.mul(0.9).sin()],
          [a!.sum(), b!.sum()],
        ],
        [x, x],
        null,
        { length: 4 },
      );
      return [a!.add(b!), ys[0]!.sub(ys[1]!)];
    };
    const { before, after } = simplified(f, [x]);
    expect(carriesOf(before)).toEqual([2]);
    expect(carriesOf(after)).toEqual([1]);
    expect(scans(after)[0]!.outputs).toHaveLength(2);
    expect(printJaxpr(after)).toMatchInlineSnapshot(`
      "{ lambda a:f64[], b:f64[], c:f64[3] .
        let d:f64[3], e:f64[4] = scan[numConsts=1 numCarry=1 length=4 checkpoints=0] a c
              { lambda f:f64[], g:f64[3] .
                let h:f64[3] = mul g f
                    i:f64[3] = sin h
                    j:f64[] = sum[axes=[0]] g
                in ( i, j ) }
            k:f64[3] = add d d
            l:f64[4] = sub e e
        in ( k, l ) }"
    `);
  });

  it('merges a pair that swaps roles each step (equal by induction, not by one step alone)', () => {
    const f = (x: Tensor) =>
      scan(([a, b]: Tensor[]) => [[b!.mul(2), a!.mul(2)], null], [x, x], null, { length: 3 })[0];
    const { before, after } = simplified(f, [x]);
    expect(carriesOf(before)).toEqual([2]);
    expect(carriesOf(after)).toEqual([1]);
  });

  it('keeps carries apart when one start differs or the steps do, and when equality breaks later', () => {
    const y = rand([3], { seed: 2 });
    const differentStart = (x: Tensor, y: Tensor) =>
      scan(([a, b]: Tensor[]) => [[a!.sin(), b!.sin()], null], [x, y], null, { length: 3 })[0];
    expect(carriesOf(simplified(differentStart, [x, y]).after)).toEqual([2]);
    const differentStep = (x: Tensor) =>
      scan(([a, b]: Tensor[]) => [[a!.sin(), b!.cos()], null], [x, x], null, { length: 3 })[0];
    expect(carriesOf(simplified(differentStep, [x]).after)).toEqual([2]);
    // a and b step alike only while c equals d; c and d drift apart, so no pair may merge
    const drift = (x: Tensor) =>
      scan(
        ([a, b, c, d]: Tensor[]) => [[a!.mul(c!), b!.mul(d!), c!.add(1), d!.add(2)], null],
        [x, x, x, x],
        null,
        { length: 3 },
      )[0];
    expect(carriesOf(simplified(drift, [x]).after)).toEqual([4]);
  });

  it('merges through nested scans: the outer carries are equal because the inner ones are', () => {
    const inner = (a: Tensor, b: Tensor) =>
      scan(([p, q]: Tensor[]) => [[p!.mul(0.5).cos(), q!.mul(0.5).cos()], null], [a, b], null, {
        length: 2,
      })[0];
    const f = (x: Tensor) =>
      scan(([a, b]: Tensor[]) => [inner(a!, b!) as Tensor[], a!.sum()], [x, x], null, { length: 3 });
    const { before, after } = simplified((x) => (f(x) as [Tensor[], Tensor]).flat(), [x]);
    expect(carriesOf(before)).toEqual([2]);
    expect(carriesOf(after)).toEqual([1]);
    const innerOf = (j: Jaxpr) => scans(scans(j)[0]!.params.jaxpr as Jaxpr)[0]!;
    expect(innerOf(after).params.numCarry).toBe(1);
  });

  it("removes forward-over-forward's repeated tangent stream from a solve-like loop", () => {
    // the outer tangent of the primal is the inner tangent again: three of the nine carry streams repeat
    const loop = (th: Tensor) =>
      scan((u: Tensor) => [u.mul(th.get(0)).sin().add(th.get(1)), null], tensor([0.3, 0.2, 0.1]), null, {
        length: 5,
      })[0].sum();
    const th = tensor([0.9, 0.4]);
    const { before, after } = simplified((t) => valueGradHessian(loop)(t), [th]);
    expect(carriesOf(before)).toEqual([4]);
    expect(carriesOf(after)).toEqual([3]);
    const { after: viaJacfwd } = simplified((t) => jacfwd(jacfwd(loop))(t), [th]);
    expect(carriesOf(viaJacfwd)).toEqual([3]);
  });
});
