/** Common-subexpression elimination: equal equations merge, inside scan bodies too, values unchanged. */
import { describe, expect, it } from 'vitest';
import { evalJaxpr, fori, rand, type Tensor } from '../../../core/index';
import { cseJaxpr } from '../../../core/ir/cse';
import { makeJaxpr } from '../../../core/ir/stage';

describe('cseJaxpr', () => {
  it('merges equations with the same primitive, parameters and inputs, at every level', () => {
    const f = (x: Tensor, k: Tensor) => {
      const a = x.mul(k).sin();
      const b = x.mul(k).sin(); // the same twice
      const c = fori(3, (h: Tensor) => h.mul(k).add(h.mul(k)), a);
      return [a.add(b), c, x.mul(k).cos()];
    };
    const x = rand([5], { seed: 1 });
    const k = rand([], { seed: 2 });
    const { jaxpr, consts } = makeJaxpr(f, [x, k], true);
    const out = cseJaxpr(jaxpr);
    const count = (j: typeof jaxpr, name: string) => j.eqns.filter((e) => e.prim.name === name).length;
    expect(count(jaxpr, 'mul')).toBe(3);
    expect(count(out, 'mul')).toBe(1);
    expect(count(out, 'sin')).toBe(1);
    const body = (j: typeof jaxpr) => j.eqns.find((e) => e.prim.name === 'scan')!.params.jaxpr;
    expect(count(body(jaxpr), 'mul')).toBe(2);
    expect(count(body(out), 'mul')).toBe(1);
    const want = evalJaxpr(jaxpr, [...consts, x, k]);
    evalJaxpr(out, [...consts, x, k]).forEach((t, i) => {
      expect(Array.from(t.concrete('t').data)).toEqual(Array.from(want[i]!.concrete('t').data));
    });
  });
});
