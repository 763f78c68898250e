/** Dead-code elimination through scans: unread per-step outputs and the carries only they need go. */
import { describe, expect, it } from 'vitest';
import { evalJaxpr, printJaxpr, rand, scan, type Tensor } from '../../../core/index';
import { pruneJaxpr } from '../../../core/ir/prune';
import { makeJaxpr } from '../../../core/ir/stage';

describe('pruneJaxpr', () => {
  // carry a feeds itself and the output; carry b and the per-step record are never read afterwards
  const f = (a0: Tensor, b0: Tensor) => {
    const [[a, b], ys] = scan(
      ([a, b]: Tensor[]) => [
        [a!.mul(0.5).add(1), b!.mul(a!).sin()],
        [b!.sum(), a!.sum()],
      ],
      [a0, b0],
      null,
      { length: 3 },
    );
    void b;
    return [a!, ys[1]!];
  };
  const a0 = rand([4], { seed: 1 });
  const b0 = rand([4], { seed: 2 });

  it('drops the unread carry and record from the scan and its body, with the same values', () => {
    const { jaxpr, consts } = makeJaxpr((x: Tensor, y: Tensor) => f(x, y), [a0, b0], true);
    const pruned = pruneJaxpr(jaxpr);
    const scanOf = (j: typeof jaxpr) => j.eqns.find((e) => e.prim.name === 'scan')!;
    expect(scanOf(jaxpr).outputs).toHaveLength(4);
    expect(scanOf(pruned).outputs).toHaveLength(2);
    expect(scanOf(pruned).params.numCarry).toBe(1);
    expect(printJaxpr(pruned)).not.toMatch(/ sin /);
    const want = evalJaxpr(jaxpr, [...consts, a0, b0]);
    const got = evalJaxpr(pruned, [...consts, a0, b0]);
    got.forEach((g, i) => {
      expect(Array.from(g.concrete('t').data)).toEqual(Array.from(want[i]!.concrete('t').data));
    });
  });

  it('keeps a carry the kept ones read', () => {
    const g = (a0: Tensor, b0: Tensor) => {
      const [[a]] = scan(([a, b]: Tensor[]) => [[a!.add(b!), b!.mul(2)], null], [a0, b0], null, {
        length: 2,
      });
      return [a!];
    };
    const { jaxpr } = makeJaxpr(g, [a0, b0], true);
    expect(pruneJaxpr(jaxpr).eqns.find((e) => e.prim.name === 'scan')!.params.numCarry).toBe(2);
  });
});
