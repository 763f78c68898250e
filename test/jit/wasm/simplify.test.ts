/**
 * The expression graph's algebraic rewrites: each gives the same value with fewer operations. A pad summed
 * into an adjoint leaves `x + 0` in the pieces where the pad is outside its range, and a transposed stencil
 * negates negations; both must vanish from the kernel, and the compiled gradient must still equal eager's.
 */
import { describe, expect, it } from 'vitest';
import { grad, pad, rand, sliceAxis, sum, type Tensor } from '../../../core/index';
import { jit } from '../../../core/jit/index';
import { Graph, type Node } from '../../../core/jit/wasm/expr';
import { relErr } from '../../helpers/reference';

function graph() {
  const g = new Graph();
  const i = g.atom('i', [0, 9]);
  const x = g.load('f64', 0, { c: 0, t: [[i, 1]] });
  const y = g.load('f64', 1, { c: 0, t: [[i, 1]] });
  return { g, x, y, zero: g.const('f64', 0), one: g.const('f64', 1) };
}

const shape = (n: Node): string =>
  n.op === 'bin'
    ? `${n.fn}(${shape(n.a)},${shape(n.b)})`
    : n.op === 'un'
      ? `${n.fn}(${shape(n.x)})`
      : n.op === 'load'
        ? `in${n.buf}`
        : n.op === 'const'
          ? String(n.value)
          : n.op;

describe('algebraic rewrites of the wasm expression graph', () => {
  it('drops additions of zero and multiplications by one', () => {
    const { g, x, zero, one } = graph();
    expect(g.bin('add', x, zero)).toBe(x);
    expect(g.bin('add', zero, x)).toBe(x);
    expect(g.bin('sub', x, zero)).toBe(x);
    expect(g.bin('mul', one, x)).toBe(x);
    // x·0 is NaN for an infinite x: kept
    expect(shape(g.bin('mul', x, zero))).toBe('mul(in0,0)');
    // 0 − x is not −x for x = +0 (the sign of zero): kept
    expect(shape(g.bin('sub', zero, x))).toBe('sub(0,in0)');
  });

  it('moves negations out of products and into additions, where two cancel', () => {
    const { g, x, y } = graph();
    const nx = g.un('neg', x);
    expect(g.un('neg', nx)).toBe(x);
    expect(shape(g.bin('add', y, nx))).toBe('sub(in1,in0)');
    expect(shape(g.bin('add', nx, y))).toBe('sub(in1,in0)');
    expect(shape(g.bin('sub', y, nx))).toBe('add(in1,in0)');
    expect(shape(g.bin('mul', nx, y))).toBe('neg(mul(in0,in1))');
    expect(g.bin('mul', nx, g.un('neg', y))).toBe(g.bin('mul', x, y));
    // y − (−x)·y: the two negations cancel into one addition
    expect(shape(g.bin('sub', y, g.bin('mul', nx, y)))).toBe('add(in1,mul(in0,in1))');
  });

  it('keeps integer arithmetic exact', () => {
    const g = new Graph();
    const i = g.atom('i', [0, 9]);
    const k = g.load('i32', 0, { c: 0, t: [[i, 1]] });
    expect(g.bin('add', k, g.const('i32', 0))).toBe(k);
    // an integer 1 is not folded by mul (a bool times 1 is still a bool there)
    expect(shape(g.bin('mul', k, g.const('i32', 1)))).toBe('mul(in0,1)');
  });

  it('a circular stencil’s compiled gradient, with pads summed into its adjoint, equals eager', async () => {
    const x = rand([4, 33], { seed: 3, dtype: 'float64' });
    const w = rand([4, 1], { seed: 4, dtype: 'float64' });
    // I ← I − w·(I[i+1] − I[i]) on a halo-padded row, 6 steps, then a weighted sum
    const f = (I: Tensor) => {
      let u = I;
      for (let s = 0; s < 6; s++) {
        const p = pad(u, [1, 1]);
        const right = sliceAxis(p, 1, 2, 35);
        u = u.sub(w.mul(right.sub(u)));
      }
      return sum(u.mul(u));
    };
    const want = grad(f)(x);
    const got = (await jit(grad(f), { backend: 'wasm', threads: false })(x)) as Tensor;
    expect(relErr(got, want)).toBeLessThan(1e-13);
  });
});
