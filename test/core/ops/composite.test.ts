/**
 * The ops written as compositions (softmax, logsumexp, prod, cumsum, cumprod, argmax/argmin, max/min with
 * indices, roll, einsum): values and gradients against PyTorch 1.13 (float64), the numbers copied from it.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../../core/index';
import * as C from '../../../core/index';
import { assertClose, expectExact } from '../support/close';

const x = C.tensor([
  [1, -2, 0, 3],
  [0.5, 4, -1, 2],
  [2, 2, -3, 0],
]);
const tight = { rtol: 1e-14, atol: 1e-15 };
const grad = (f: (z: Tensor) => Tensor, at: Tensor) => C.grad(f)(at) as Tensor;

describe('softmax, logSoftmax, logsumexp', () => {
  it('match torch', () => {
    assertClose(
      C.softmax(x, 1),
      [
        [0.11354961935990125, 0.00565330266221633, 0.04177257051535046, 0.8390245074625321],
        [0.025759737615608187, 0.8530453534781922, 0.005747774379552186, 0.11544713452664754],
        [0.46683744789153037, 0.46683744789153037, 0.003145525981081455, 0.06317957823585768],
      ],
      tight,
    );
    assertClose(
      C.logsumexp(x, 0),
      [2.464368784107945, 4.129108908829851, 0.34901221676818633, 3.349012216768186],
      tight,
    );
    assertClose(
      C.logSoftmax(x, -1),
      [
        [-2.1755153626167143, -5.175515362616714, -3.1755153626167143, -0.1755153626167145],
        [-3.658942563527355, -0.15894256352735495, -5.158942563527355, -2.158942563527355],
        [-0.7617741592262747, -0.7617741592262747, -5.761774159226275, -2.761774159226275],
      ],
      tight,
    );
  });

  it('stay finite where exp overflows, and give −∞ for an all −∞ slice', () => {
    expect(C.logsumexp(C.tensor([1000, 1000])).item()).toBe(1000.6931471805599);
    expect(C.logsumexp(C.tensor([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).item()).toBe(
      Number.NEGATIVE_INFINITY,
    );
    expectExact(C.softmax(C.tensor([1000, 0]), 0), [1, 0]);
  });

  it('gradients match torch', () => {
    const w = C.arange(4, undefined, 1, { dtype: 'float64' });
    assertClose(
      grad((z) => C.mul(C.softmax(z, 1), w).sum(), x),
      [
        [-0.29594118969682376, -0.009080741582086426, -0.025325538454578408, 0.3303474697334884],
        [-0.031192010481234718, -0.17989217110816316, 0.004535670465074969, 0.20654851112432263],
        [-0.30935788058391966, 0.15747956730761067, 0.004206614959039048, 0.14767169831727006],
      ],
      tight,
    );
    assertClose(
      grad((z) => C.logsumexp(z, 1).sum(), x),
      C.softmax(x, 1),
      tight,
    );
  });
});

describe('prod, cumsum, cumprod (zeros and negatives, no log/exp)', () => {
  it('values match torch', () => {
    expect(C.prod(x).item()).toBe(-0); // torch: -0.0
    expectExact(C.prod(x, 1), [0, -4, 0]);
    expectExact(C.prod(x, 0, { keepdim: true }), [[1, -16, 0, 0]]);
    expectExact(C.prod(C.zeros([2, 0]), 1), [1, 1]);
    expectExact(C.cumsum(x, 1), [
      [1, -1, -1, 2],
      [0.5, 4.5, 3.5, 5.5],
      [2, 4, 1, 1],
    ]);
    expectExact(C.cumprod(x, 0), [
      [1, -2, 0, 3],
      [0.5, -8, 0, 6],
      [1, -16, 0, 0],
    ]);
    expectExact(
      C.cumsum(C.arange(1, 12), 0),
      C.tensor([1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 66], { dtype: 'int32' }),
    );
    expect(C.cumsum(C.tensor([true, false, true]), 0).dtype).toBe('int32');
  });

  it('gradients through zeros match torch', () => {
    expectExact(
      grad((z) => C.prod(z, 1).sum(), x),
      [
        [0, 0, -6, 0],
        [-8, -1, 4, -2],
        [0, 0, 0, -12],
      ],
    );
    expectExact(
      grad((z) => C.cumprod(z, 1).sum(), x),
      [
        [-1, 1, -8, 0],
        [-7, -1, 6, -2],
        [-3, -4, 4, -12],
      ],
    );
  });
});

describe('argmax, argmin, max and min with indices', () => {
  it('match torch, first index on ties, NaN counts as the max', () => {
    expect(C.argmax(x).item()).toBe(5);
    expectExact(C.argmax(x, 1), C.tensor([3, 1, 0], { dtype: 'int32' }));
    expectExact(C.argmin(x, 0), C.tensor([1, 0, 2, 2], { dtype: 'int32' }));
    const m = C.max(x, 1);
    expectExact(m.values, [3, 4, 2]);
    expectExact(m.indices, C.tensor([3, 1, 0], { dtype: 'int32' }));
    expectExact(C.min(x, 0, { keepdim: true }).indices, C.tensor([[1, 0, 2, 2]], { dtype: 'int32' }));
    expect(C.argmax(C.tensor([1, 3, 3])).item()).toBe(1);
    expect(C.argmax(C.tensor([1, Number.NaN, 3, Number.NaN])).item()).toBe(1);
    expect(() => (C.max as (x: Tensor) => unknown)(x)).toThrow(/give the axis.*amax/);
  });

  it('the gradient of max values goes to the index; amax shares ties (both as torch)', () => {
    const ties = C.tensor([
      [1, 3, 3],
      [2, 2, 0],
    ]);
    expectExact(
      grad((z) => C.max(z, 1).values.sum(), ties),
      [
        [0, 1, 0],
        [1, 0, 0],
      ],
    );
    expectExact(
      grad((z) => C.amax(z, 1).sum(), ties),
      [
        [0, 0.5, 0.5],
        [0.5, 0.5, 0],
      ],
    );
  });
});

describe('roll and einsum', () => {
  it('roll matches torch, flattened and per axis', () => {
    expectExact(C.roll(x, 1), [
      [0, 1, -2, 0],
      [3, 0.5, 4, -1],
      [2, 2, 2, -3],
    ]);
    expectExact(C.roll(x, [1, -1], [0, 1]), [
      [2, -3, 0, 2],
      [-2, 0, 3, 1],
      [4, -1, 2, 0.5],
    ]);
    expect(() => C.roll(x, [1, 2], [0])).toThrow(/2 shift\(s\) for 1 axis/);
  });

  it('einsum matches torch: matmul, trace, diagonal, ellipsis, outer, batches, chains', () => {
    const ar = (n: number, shape: number[], off = 0) =>
      C.sub(C.reshape(C.arange(n, undefined, 1, { dtype: 'float64' }), shape), off);
    expectExact(C.einsum('ij,jk->ik', x, C.transpose(x)), [
      [14, -1.5, -2],
      [-1.5, 21.25, 12],
      [-2, 12, 17],
    ]);
    const sq = C.tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(C.einsum('ii', sq).item()).toBe(5);
    expectExact(C.einsum('ii->i', sq), [1, 4]);
    expectExact(C.einsum('...j,...j->...', x, x), [14, 21.25, 17]);
    expectExact(C.einsum('i,j', C.tensor([1, 2]), C.tensor([3, 4, 5])), [
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expectExact(C.einsum('bij,bj->bi', ar(12, [2, 2, 3]), ar(6, [2, 3])), [
      [5, 14],
      [86, 122],
    ]);
    expectExact(C.einsum('ij,jk,kl->il', ar(6, [2, 3]), ar(12, [3, 4], 5), ar(8, [4, 2])), [
      [144, 182],
      [288, 344],
    ]);
    expectExact(C.einsum('bii->b', ar(18, [2, 3, 3])), [12, 39]);
    expectExact(C.einsum('...ij,...j->...i', ar(6, [2, 3]), ar(6, [2, 1, 3])), [[[5, 14]], [[14, 50]]]);
  });

  it('einsum names what does not fit', () => {
    expect(() => C.einsum('ij,jk', x, x)).toThrow(/label 'j' has size 4 elsewhere but 3/);
    expect(() => C.einsum('ij', x, x)).toThrow(/names 1 operand\(s\) but 2/);
    expect(() => C.einsum('ijk', x)).toThrow(/labels 3 axes/);
    expect(() => C.einsum('ij->k', x)).toThrow(/output label 'k'/);
    expect(() => C.einsum('i1', x)).toThrow(/'1'.*not a letter/);
  });
});

describe('method forms', () => {
  it('x.softmax(1), x.cumsum(0), ... equal the functions', () => {
    const pairs: [Tensor, Tensor][] = [
      [x.clamp(-1, 1), C.clamp(x, -1, 1)],
      [x.relu(), C.relu(x)],
      [x.softmax(1), C.softmax(x, 1)],
      [x.logSoftmax(0), C.logSoftmax(x, 0)],
      [x.logsumexp(1, { keepdim: true }), C.logsumexp(x, 1, { keepdim: true })],
      [x.prod(0), C.prod(x, 0)],
      [x.cumsum(1), C.cumsum(x, 1)],
      [x.cumprod(0), C.cumprod(x, 0)],
      [x.argmax(1), C.argmax(x, 1)],
      [x.argmin(), C.argmin(x)],
      [x.roll(2, 1), C.roll(x, 2, 1)],
    ];
    for (const [method, fn] of pairs) expectExact(method, fn);
  });
});
