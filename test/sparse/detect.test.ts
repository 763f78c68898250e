import { describe, expect, it } from 'vitest';
import {
  amax,
  at,
  cast,
  cat,
  cos,
  div,
  exp,
  expand,
  flip,
  fori,
  gather,
  gt,
  hessian,
  hessianSparsity,
  indexSelect,
  jacfwd,
  jacobianSparsity,
  matmul,
  maximum,
  mul,
  pad,
  pow,
  randn,
  reshape,
  SparsityPattern,
  scan,
  scatterAdd,
  sign,
  sin,
  sum,
  type Tensor,
  tensor,
  transpose,
  where,
} from '../../core/index';

/** The nonzero pattern of the dense Jacobian at the given point, as [outputs, inputs]. */
function densePattern(f: (x: Tensor) => Tensor, x: Tensor): SparsityPattern {
  const J = jacfwd(f)(x) as Tensor;
  const m = J.size / x.size;
  return SparsityPattern.fromDense(reshape(J, [m, x.size]));
}

const x12 = randn([12], { seed: 1 });
const x34 = randn([3, 4], { seed: 2 });

/** Functions whose structural pattern has no cancellation at a random point: detection must be exact. */
const exact: [string, (x: Tensor) => Tensor, Tensor][] = [
  ['unary chain', (x) => mul(sin(exp(x)), 2), x12],
  ['broadcast outer sum', (x) => mul(reshape(x.get(':3'), [3, 1]), reshape(x.get('3:7'), [1, 4])), x12],
  ['sum over an axis', (x) => sum(x, 1), x34],
  ['transpose + slice with step', (x) => transpose(x).get('::2', '1:'), x34],
  ['flip, pad, concat', (x) => cat([flip(x, 0), pad(x, [2, 1]), x.get('3:5')]), x12],
  ['expand', (x) => mul(expand(x.get(':4'), [3, 4]), 1.5), x12],
  ['matmul of two inputs', (x) => matmul(reshape(x.get(':6'), [2, 3]), reshape(x.get('6:'), [3, 2])), x12],
  ['pow and div', (x) => div(pow(x.get(':6'), x.get('6:')), x.get('3:9')), reshape(x34, [12]).abs().add(0.5)],
  [
    'gather with constant indices',
    (x) => gather(x, 0, tensor([[2], [0], [2]], { dtype: 'int32' })),
    x34.get(':', ':1'),
  ],
  ['index_select', (x) => indexSelect(x, 1, tensor([3, 1, 1], { dtype: 'int32' })), x34],
  [
    'scatterAdd with constant indices',
    (x) => scatterAdd(x.get(':5'), 0, tensor([1, 1, 4], { dtype: 'int32' }), x.get('5:8')),
    x12,
  ],
  ['at().set (constant mask)', (x) => at(x, '2:5').set(mul(x.get('6:9'), x.get('9:12'))), x12],
  [
    'cumulative sum by scan (ys)',
    (x) => scan((c: Tensor, xi: Tensor) => [c.add(xi), c.mul(xi)], x.get(0), x)[1],
    x12,
  ],
  [
    'periodic diffusion by fori (fixpoint before the end)',
    (x) => fori(20, (u: Tensor) => u.add(sin(cat([u.get('1:'), u.get(':1')])).mul(0.3)), x),
    x12,
  ],
  [
    'diffusion that does not saturate',
    (x) => fori(3, (u: Tensor) => u.add(pad(u, [1, 0]).get(':-1').mul(0.5)), x),
    x12,
  ],
];

describe('jacobianSparsity: exact on structural functions', () => {
  for (const [name, f, x] of exact)
    it(name, () => {
      const truth = densePattern(f, x);
      expect(truth.nnz).toBeGreaterThan(0);
      expect(jacobianSparsity(f)(x).equals(truth)).toBe(true);
      expect(jacobianSparsity(f, { local: true })(x).equals(truth)).toBe(true);
    });

  it('a sparse constant matrix prunes: A @ x has the pattern of A', () => {
    const A = tensor([
      [0, 2, 0, 0],
      [1, 0, 0, 3],
      [0, 0, 0, 0],
    ]);
    const p = jacobianSparsity((x: Tensor) => matmul(A, x))(randn([4], { seed: 3 }));
    expect(p.equals(SparsityPattern.fromDense(A))).toBe(true);
  });

  it('the saturating loop stops early and agrees with the loop run to the end', () => {
    // with a per-step input the loop cannot stop early; both must give the full circulant pattern
    const step = (u: Tensor) => u.add(sin(cat([u.get('1:'), u.get(':1')])).mul(0.3));
    const early = jacobianSparsity((x: Tensor) => fori(40, step, x))(x12);
    const full = jacobianSparsity(
      (x: Tensor) => scan((u: Tensor, k: Tensor) => [step(u).add(k), k], x, tensor(new Float64Array(40)))[0],
    )(x12);
    expect(early.isFull).toBe(true);
    expect(early.equals(full)).toBe(true);
  });

  it('outputs of several leaves stack their rows in order; argnums picks the columns', () => {
    const f = (a: Tensor, b: Tensor) => [mul(a, b.get(':3')), { s: sum(b) }];
    const a = randn([3], { seed: 4 });
    const b = randn([5], { seed: 5 });
    const pa = jacobianSparsity(f, { argnums: 0 })(a, b);
    expect(pa.shape).toEqual([4, 3]);
    expect(pa.nnz).toBe(3);
    const pab = jacobianSparsity(f, { argnums: [0, 1] })(a, b);
    expect(pab.shape).toEqual([4, 8]);
    expect([...pab.row(0)]).toEqual([0, 3]);
    expect([...pab.row(3)]).toEqual([3, 4, 5, 6, 7]);
  });
});

describe('jacobianSparsity: value-dependent primitives', () => {
  const x = tensor([1, -2, 3, -4, 5, -6]);
  const y = tensor([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  const fWhere = (v: Tensor) => where(gt(v.get(':3'), 0), mul(v.get(':3'), 2), sin(v.get('3:')));
  it('where: the union of both branches globally, the branch taken locally', () => {
    const v = cat([x.get(':3'), y.get(':3')]);
    const g = jacobianSparsity(fWhere)(v);
    const l = jacobianSparsity(fWhere, { local: true })(v);
    expect(g.nnz).toBe(6);
    // x = [1, -2, 3]: rows 0 and 2 take the first branch, row 1 the second
    expect([...l.row(0)]).toEqual([0]);
    expect([...l.row(1)]).toEqual([4]);
    expect([...l.row(2)]).toEqual([2]);
    expect(l.equals(densePattern(fWhere, v))).toBe(true);
  });

  it('maximum and max-reduction follow the winner locally', () => {
    const f = (v: Tensor) => cat([maximum(v.get(':3'), v.get('3:')), reshape(amax(v), [1])]);
    const v = tensor([1, 5, 2, 3, 4, 0]);
    expect(jacobianSparsity(f)(v).nnz).toBe(6 + 6);
    const l = jacobianSparsity(f, { local: true })(v);
    expect(l.equals(densePattern(f, v))).toBe(true);
    expect([...l.row(3)]).toEqual([1]);
  });

  it('a factor that is zero at the point drops the other factor locally, not globally', () => {
    const f = (v: Tensor) => mul(v.get(':2'), v.get('2:'));
    const v = tensor([0, 1, 2, 0]);
    expect(jacobianSparsity(f)(v).nnz).toBe(4);
    const l = jacobianSparsity(f, { local: true })(v);
    expect(l.equals(densePattern(f, v))).toBe(true);
    expect(l.nnz).toBe(2);
  });

  it('sign, comparisons and integer casts carry no derivative', () => {
    const f = (v: Tensor) => cat([sign(v), cast(gt(v, 0), 'float64'), cast(cast(v, 'int32'), 'float64')]);
    expect(jacobianSparsity(f)(x).nnz).toBe(0);
  });

  it('rejects integer inputs', () => {
    expect(() => jacobianSparsity((v: Tensor) => v)(tensor([1, 2], { dtype: 'int32' }))).toThrow(
      /floating-point/,
    );
  });
});

describe('hessianSparsity', () => {
  it('finds the tridiagonal Hessian of a chain and the arrow of a product with one variable', () => {
    const chain = (v: Tensor) => sum(mul(v.get(':-1'), pow(v.get('1:'), 2))).add(sum(exp(v)));
    const v = randn([7], { seed: 6 });
    const truth = SparsityPattern.fromDense(hessian(chain)(v) as Tensor);
    const p = hessianSparsity(chain)(v);
    expect(p.equals(truth)).toBe(true);
    expect(p.nnz).toBe(7 + 2 * 6);

    const arrow = (w: Tensor) => mul(w.get(0), sum(cos(w.get('1:'))));
    const q = hessianSparsity(arrow)(v);
    expect(q.equals(SparsityPattern.fromDense(hessian(arrow)(v) as Tensor))).toBe(true);
    expect(q.nnz).toBe(2 * 6 + 6);
  });
});
