import { describe, expect, it } from 'vitest';
import {
  cat,
  colorColumns,
  colorRows,
  cos,
  exp,
  gt,
  hessian,
  jacfwd,
  jacobianSparsity,
  matmul,
  mul,
  pow,
  randn,
  reshape,
  rng,
  SparsityPattern,
  sin,
  sparseHessian,
  sparseJacfwd,
  sparseJacrev,
  sum,
  type Tensor,
  tensor,
  transpose,
  where,
} from '../../core/index';
import { relErr } from '../helpers/reference';

/** A random m×n matrix with about `density` of its entries nonzero (at least one per row). */
function sparseMatrix(m: number, n: number, density: number, seed: number): Tensor {
  const r = rng(seed);
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    data[i * n + Math.floor(r() * n)] = r() + 0.5;
    for (let j = 0; j < n; j++) if (r() < density) data[i * n + j] = r() * 4 - 2 || 1;
  }
  return tensor(data, { shape: [m, n] });
}

const dataOf = (t: Tensor) => Array.from(t.concrete('test').data);

describe('compressed Jacobians of random sparse linear maps (the true Jacobian is A)', () => {
  const cases = [
    [30, 40, 0.05, 1],
    [60, 25, 0.1, 2],
    [50, 50, 0.02, 3],
    [20, 80, 0.08, 4],
  ] as const;
  for (const [m, n, density, seed] of cases)
    it(`${m}×${n}, density ${density}`, () => {
      const A = sparseMatrix(m, n, density, seed);
      const f = (x: Tensor) => matmul(A, x);
      const x = randn([n], { seed });
      const truth = SparsityPattern.fromDense(A);
      const p = jacobianSparsity(f)(x);
      expect(p.equals(truth)).toBe(true);

      const fwd = sparseJacfwd(f)(x);
      expect(fwd.dense).toBe(false);
      expect(fwd.passes).toBe(colorColumns(truth).count);
      expect(fwd.passes).toBeLessThan(n);
      expect(dataOf(fwd.toDense())).toEqual(dataOf(A));

      const rev = sparseJacrev(f, { pattern: truth })(x);
      expect(rev.passes).toBe(colorRows(truth).count);
      expect(rev.passes).toBeLessThan(m);
      expect(dataOf(rev.toDense())).toEqual(dataOf(A));
    });
});

describe('compressed Jacobians of nonlinear functions', () => {
  // periodic stencil: f_i = sin(x_i)·x_{i+1} + x_{i-1}²
  const roll = (x: Tensor, k: number) => cat([x.get(`${k}:`), x.get(`:${k}`)]);
  const stencil = (x: Tensor) => mul(sin(x), roll(x, 1)).add(pow(roll(x, -1), 2));
  const x = randn([31], { seed: 7 });

  it('periodic stencil: the optimal 3 colours on 30 cells, 4 on 31 (3 cannot go round the circle)', () => {
    for (const [n, colours] of [
      [30, 3],
      [31, 4],
    ] as const) {
      const xn = randn([n], { seed: n });
      const J = jacfwd(stencil)(xn) as Tensor;
      const fwd = sparseJacfwd(stencil)(xn);
      expect(fwd.pattern.equals(SparsityPattern.fromDense(J))).toBe(true);
      expect(fwd.passes).toBe(colours);
      expect(relErr(fwd.toDense(), J)).toBeLessThanOrEqual(1e-15);
      const rev = sparseJacrev(stencil)(xn);
      expect(rev.passes).toBe(colours);
      expect(relErr(rev.toDense(), J)).toBeLessThanOrEqual(1e-15);
    }
  });

  it('a pattern detected at the point is enough there, and can need fewer colours', () => {
    // positive entries take the first branch: row i depends on i and i+1 there, on i-1 too elsewhere
    const f = (v: Tensor) => where(gt(v, 0), mul(v, roll(v, 1)), mul(v, roll(v, -1)));
    const v = randn([30], { seed: 12 }).abs().add(0.1);
    const J = jacfwd(f)(v) as Tensor;
    const global = sparseJacfwd(f)(v);
    const local = sparseJacfwd(f, { local: true })(v);
    expect(global.passes).toBe(3);
    expect(local.passes).toBe(2);
    expect(local.pattern.equals(SparsityPattern.fromDense(J))).toBe(true);
    expect(relErr(global.toDense(), J)).toBe(0);
    expect(relErr(local.toDense(), J)).toBe(0);
  });

  it('a full Jacobian is reported dense and computed on the plain basis', () => {
    const f = (v: Tensor) => mul(v, sum(v));
    const v = randn([9], { seed: 8 });
    const fwd = sparseJacfwd(f)(v);
    expect(fwd.dense).toBe(true);
    expect(fwd.passes).toBe(9);
    expect(fwd.pattern.isFull).toBe(true);
    expect(relErr(fwd.toDense(), jacfwd(f)(v) as Tensor)).toBeLessThanOrEqual(1e-15);
    const rev = sparseJacrev(f)(v);
    expect(rev.dense).toBe(true);
    expect(relErr(rev.toDense(), jacfwd(f)(v) as Tensor)).toBeLessThanOrEqual(1e-15);
  });

  it('several inputs and outputs: rows follow the flattened outputs, columns the argnums', () => {
    const f = (a: Tensor, b: Tensor) => ({ p: mul(a, b.get(':4')), q: exp(b.get('2:')) });
    const a = randn([4], { seed: 9 });
    const b = randn([6], { seed: 10 });
    const J = sparseJacfwd(f, { argnums: [0, 1] })(a, b);
    expect(J.shape).toEqual([8, 10]);
    const dense = jacfwd(f, { argnums: [0, 1] })(a, b) as { p: Tensor[]; q: Tensor[] };
    const top = cat([dense.p[0]!, dense.p[1]!], 1);
    const bottom = cat([dense.q[0]!, dense.q[1]!], 1);
    expect(relErr(J.toDense(), cat([top, bottom], 0))).toBe(0);
    const R = sparseJacrev(f, { argnums: [0, 1] })(a, b);
    expect(relErr(R.toDense(), cat([top, bottom], 0))).toBe(0);
  });

  it('rejects a pattern of the wrong shape and a colouring that does not fit the pattern', () => {
    expect(() => sparseJacfwd(stencil, { pattern: SparsityPattern.fromEntries(30, 31, []) })(x)).toThrow(
      /pattern is 30×31 but the Jacobian is 31×31/,
    );
    const p = jacobianSparsity(stencil)(x);
    const bad = { ...colorColumns(p), colors: new Int32Array(31), count: 1 };
    expect(() => sparseJacfwd(stencil, { pattern: p, coloring: bad })(x)).toThrow(
      /not a valid column colouring/,
    );
    expect(() => sparseJacfwd(stencil, { pattern: p, coloring: colorRows(p) })(x)).toThrow(/needs a column/);
  });
});

describe('sparse Hessians', () => {
  const v = randn([12], { seed: 11 });

  it('tridiagonal Hessian of a chain: 3 colours, equal to the dense hessian', () => {
    const chain = (w: Tensor) => sum(mul(w.get(':-1'), pow(w.get('1:'), 2))).add(sum(exp(w)));
    const H = hessian(chain)(v) as Tensor;
    const S = sparseHessian(chain)(v);
    expect(S.passes).toBe(3);
    expect(S.pattern.equals(SparsityPattern.fromDense(H))).toBe(true);
    expect(relErr(S.toDense(), H)).toBeLessThanOrEqual(1e-14);
  });

  it('arrow Hessian: the star colouring needs 2 colours where a column colouring needs 12', () => {
    const arrow = (w: Tensor) => mul(w.get(0), sum(cos(w.get('1:')))).add(sum(pow(w, 3)));
    const H = hessian(arrow)(v) as Tensor;
    const S = sparseHessian(arrow)(v);
    expect(S.coloring.kind).toBe('star');
    expect(S.passes).toBe(2);
    expect(colorColumns(S.pattern).count).toBe(12);
    expect(relErr(S.toDense(), H)).toBeLessThanOrEqual(1e-14);
    // the same with a column colouring given explicitly: direct recovery, no compression
    const C = sparseHessian(arrow, { coloring: colorColumns(S.pattern) })(v);
    expect(C.dense).toBe(true);
    expect(relErr(C.toDense(), H)).toBeLessThanOrEqual(1e-14);
  });

  it('random sparse quadratic forms ½xᵀAx (A symmetric): H = A exactly', () => {
    for (const seed of [1, 2, 3]) {
      const B = sparseMatrix(40, 40, 0.03, seed + 30);
      const A = B.add(transpose(B));
      const q = (w: Tensor) => mul(sum(mul(w, matmul(A, w))), 0.5);
      const S = sparseHessian(q)(randn([40], { seed }));
      expect(S.pattern.equals(SparsityPattern.fromDense(A))).toBe(true);
      expect(S.passes).toBeLessThan(40);
      expect(dataOf(S.toDense())).toEqual(dataOf(A));
    }
  });

  it('rejects a non-scalar function', () => {
    expect(() => sparseHessian((w: Tensor) => reshape(w, [3, 4]))(v)).toThrow(/one scalar/);
  });
});
