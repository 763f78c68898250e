/**
 * The torch.func tutorial calls, with the tutorial's shapes, written with core. Each has its Python twin in
 * the README section "torch.func ↔ core, side by side".
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/index';
import * as C from '../../core/index';
import { assertClose, expectExact, valuesOf } from './support/close';

const range = (n: number) => [...Array(n).keys()];

describe('vmap', () => {
  it('vmap(outer) over a batch equals the outer product of every pair of rows', () => {
    const xs = C.randn([4, 3], { seed: 1 });
    const ys = C.randn([4, 5], { seed: 2 });
    const out = C.vmap(C.outer)(xs, ys);
    const [a, b] = [xs.toArray() as number[][], ys.toArray() as number[][]];
    expectExact(
      out,
      range(4).map((n) => range(3).map((i) => range(5).map((j) => a[n]![i]! * b[n]![j]!))),
    );
  });

  it('vmap(dot) is the batched dot product (batched_dot in the tutorial)', () => {
    const xs = C.randn([2, 5], { seed: 3 });
    const ys = C.randn([2, 5], { seed: 4 });
    const [a, b] = [xs.toArray() as number[][], ys.toArray() as number[][]];
    assertClose(
      C.vmap(C.dot)(xs, ys),
      range(2).map((n) => range(5).reduce((s, k) => s + a[n]![k]! * b[n]![k]!, 0)),
    );
  });

  it('f = x => outer(x, x): vmap(f)(f(x)) stacks outer(row_i, row_i) of the 3×3 outer product', () => {
    const f = (x: Tensor) => C.outer(x, x);
    const x = C.tensor([1, 2, 3]);
    expectExact(f(x), [
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 9],
    ]);
    const out = C.vmap(f)(f(x));
    // Row i of f(x) is (i+1)·[1, 2, 3], so slice i holds (i+1)²·(j+1)·(k+1).
    expectExact(
      out,
      range(3).map((i) => range(3).map((j) => range(3).map((k) => (i + 1) ** 2 * (j + 1) * (k + 1)))),
    );
    expect(out.toArray()).toEqual([
      [
        [1, 2, 3],
        [2, 4, 6],
        [3, 6, 9],
      ],
      [
        [4, 8, 12],
        [8, 16, 24],
        [12, 24, 36],
      ],
      [
        [9, 18, 27],
        [18, 36, 54],
        [27, 54, 81],
      ],
    ]);
  });
});

describe('grad, jacrev, hessian of sin', () => {
  const xs = C.randn([10], { seed: 5 });

  it('grad(sin)(x) = cos(x) and grad(grad(sin))(x) = -sin(x) for a scalar x', () => {
    for (const x0 of [-2.1, -0.3, 0, 0.7, 1.9]) {
      const x = C.tensor(x0);
      expect(C.grad(C.sin)(x).item()).toBe(Math.cos(x0));
      expect(C.grad(C.grad(C.sin))(x).item()).toBeCloseTo(-Math.sin(x0), 15);
    }
  });

  it('vmap(grad(sin)) on a [10] vector equals cos elementwise', () => {
    expectExact(C.vmap(C.grad(C.sin))(xs), valuesOf(xs).map(Math.cos));
  });

  it('jacrev(sin) and jacfwd(sin) on [10] are diag(cos(x))', () => {
    const v = valuesOf(xs);
    const diag = range(10).map((i) => range(10).map((j) => (i === j ? Math.cos(v[i]!) : 0)));
    expectExact(C.jacrev(C.sin)(xs), diag);
    expectExact(C.jacfwd(C.sin)(xs), diag);
  });

  it('hessian(sin) on [10, 2] is [10,2,10,2,10,2] with -sin(x) on the diagonal and 0 elsewhere', () => {
    const x = C.randn([10, 2], { seed: 6 });
    const h = C.hessian(C.sin)(x) as Tensor;
    expect(h.shape).toEqual([10, 2, 10, 2, 10, 2]);
    const hv = valuesOf(h);
    const xv = valuesOf(x);
    // Flat index of [i,j,k,l,m,n] is ((((i·2+j)·10+k)·2+l)·10+m)·2+n; p and q run over the 20 entries.
    let offDiagonalNonzero = 0;
    for (let p = 0; p < 20; p++)
      for (let q = 0; q < 20; q++)
        for (let r = 0; r < 20; r++) {
          const value = hv[(p * 20 + q) * 20 + r]!;
          if (p === q && q === r) expect(value).toBeCloseTo(-Math.sin(xv[p]!), 15);
          else if (value !== 0) offDiagonalNonzero++;
        }
    expect(offDiagonalNonzero).toBe(0);
  });
});

describe('Linear(2, 3) over a [1000, 2] batch', () => {
  const params = C.initLinear(2, 3, { seed: 7 });
  const net = (x: Tensor) => C.linear(params, x);
  const X = C.randn([1000, 2], { seed: 8 });
  const W = params.weight.toArray() as number[][];
  const b = params.bias.toArray() as number[];

  it('initLinear draws weight [3,2] and bias [3] from U(-1/√2, 1/√2)', () => {
    expect(params.weight.shape).toEqual([3, 2]);
    expect(params.bias.shape).toEqual([3]);
    const all = [...valuesOf(params.weight), ...valuesOf(params.bias)];
    for (const v of all) expect(Math.abs(v)).toBeLessThanOrEqual(1 / Math.sqrt(2));
    expect(new Set(all).size).toBe(all.length);
  });

  it('vmap(net)(X) equals net(X) equals x·Wᵀ + b row by row', () => {
    const rows = X.toArray() as number[][];
    const want = rows.map((x) => range(3).map((o) => x[0]! * W[o]![0]! + x[1]! * W[o]![1]! + b[o]!));
    assertClose(C.vmap(net)(X), want, { rtol: 1e-15, atol: 1e-15 });
    assertClose(net(X), want, { rtol: 1e-15, atol: 1e-15 });
  });

  it('vmap(jacrev(net)) and vmap(jacfwd(net)) are [1000,3,2], every slice the weight matrix', () => {
    const want = C.expand(params.weight, [1000, 3, 2]);
    expectExact(C.vmap(C.jacrev(net))(X), want);
    expectExact(C.vmap(C.jacfwd(net))(X), want);
  });

  it('the three Hessian paths are [1000,3,2,2] and zero for a linear net', () => {
    const zero = C.zeros([1000, 3, 2, 2]);
    expectExact(C.vmap(C.hessian(net))(X), zero);
    expectExact(C.vmap(C.jacfwd(C.jacrev(net)))(X), zero);
    expectExact(C.vmap(C.jacrev(C.jacfwd(net)))(X), zero);
  });
});

describe('nonlinear nets: the Hessian paths agree with each other and with finite differences', () => {
  const l1 = C.initLinear(2, 3, { seed: 9 });
  const l2a = C.initLinear(2, 4, { seed: 10 });
  const l2b = C.initLinear(4, 3, { seed: 11 });
  const nets: [string, (x: Tensor) => Tensor][] = [
    ['tanh(linear(x))', (x) => C.tanh(C.linear(l1, x))],
    ['linear(tanh(linear(x)))', (x) => C.linear(l2b, C.tanh(C.linear(l2a, x)))],
  ];
  const X = C.randn([1000, 2], { seed: 12 });

  for (const [name, net] of nets)
    it(name, () => {
      const h = C.vmap(C.hessian(net))(X) as Tensor;
      expect(h.shape).toEqual([1000, 3, 2, 2]);
      // Not zero: a nonlinear net has curvature.
      expect(Math.max(...valuesOf(h).map(Math.abs))).toBeGreaterThan(1e-2);
      assertClose(C.vmap(C.jacfwd(C.jacrev(net)))(X), h, { rtol: 1e-13, atol: 1e-15 });
      assertClose(C.vmap(C.jacrev(C.jacfwd(net)))(X), h, { rtol: 1e-12, atol: 1e-15 });
      // Symmetric in the two input axes.
      assertClose(C.transpose(h, -1, -2), h, { rtol: 1e-13, atol: 1e-15 });
      // Column j of the Hessian: central differences of the batched Jacobian along input j.
      const jac = C.vmap(C.jacrev(net));
      const eps = 1e-6;
      for (const j of [0, 1]) {
        const shift = C.mul(C.expand(C.eye(2).get(j), [1000, 2]), eps);
        const fd = C.div(C.sub(jac(C.add(X, shift)), jac(C.sub(X, shift))), 2 * eps);
        assertClose(h.get('...', j), fd, { rtol: 1e-5, atol: 1e-7 });
      }
    });
});

describe('jvp and vjp', () => {
  it('jvp(sin, [x], [t]) = [sin(x), cos(x)·t]; vjp(sin, x) pulls v back to cos(x)·v', () => {
    const x = C.randn([5], { seed: 13 });
    const t = C.randn([5], { seed: 14 });
    const [y, jt] = C.jvp(C.sin, [x], [t]) as [Tensor, Tensor];
    const [xv, tv] = [valuesOf(x), valuesOf(t)];
    expectExact(y, xv.map(Math.sin));
    expectExact(
      jt,
      xv.map((v, i) => tv[i]! * Math.cos(v)),
    );
    const [y2, pullback] = C.vjp(C.sin, x);
    expectExact(y2 as Tensor, xv.map(Math.sin));
    expectExact(
      pullback(t)[0] as Tensor,
      xv.map((v, i) => tv[i]! * Math.cos(v)),
    );
  });

  it('jacrev with argnums (0, 1) of x·y + sin(y) gives one Jacobian per argument', () => {
    const f = (x: Tensor, y: Tensor) => C.add(C.mul(x, y), C.sin(y));
    const x = C.randn([3], { seed: 15 });
    const y = C.randn([3], { seed: 16 });
    const [jx, jy] = C.jacrev(f, { argnums: [0, 1] })(x, y) as [Tensor, Tensor];
    const [xv, yv] = [valuesOf(x), valuesOf(y)];
    const diag = (d: number[]) => range(3).map((i) => range(3).map((j) => (i === j ? d[i]! : 0)));
    expectExact(jx, diag(yv));
    expectExact(jy, diag(xv.map((v, i) => v + Math.cos(yv[i]!))));
  });
});
