/** Elementwise, indexing, reduction and contraction programs compiled by jit against the eager float64 path. */
import { describe, expect, it } from 'vitest';
import {
  amax,
  amin,
  cast,
  cat,
  exp,
  flip,
  fori,
  gather,
  indexSelect,
  matmul,
  maximum,
  mean,
  minimum,
  pad,
  permute,
  rand,
  reshape,
  scan,
  scatterAdd,
  sign,
  sum,
  tensor,
  where,
  zeros,
} from '../../core/index';
import { P } from '../../core/interpreter/primitives';
import { bind1 } from '../../core/interpreter/trace';
import { availableModes } from '../../core/jit/gpujs';
import { jit } from '../../core/jit/index';
import type { Tensor } from '../../core/tensor/tensor';
import { relErr } from '../helpers/reference';
import { BACKENDS, checkJit } from './helpers';

const x = rand([4, 6, 5], { seed: 1, low: -1, high: 1 });
const y = rand([5], { seed: 2, low: 0.5, high: 1.5 });

describe.each(BACKENDS)('jit ops on %s', (backend) => {
  it('fuses an elementwise chain with broadcasting into one kernel', async () => {
    const f = (a: Tensor, b: Tensor) =>
      a
        .mul(b)
        .add(a.sin())
        .div(exp(a.neg()).add(1))
        .sub(a.abs().sqrt().mul(sign(a)))
        .add(a.tanh().mul(a.pow(2)))
        .add(maximum(a, b.sub(1)))
        .sub(minimum(a, 0.25))
        .add(where(a.gt(b.sub(1.2)), a, b.log()));
    const g = await checkJit(f, [x, y], backend);
    // wasm's cost model gives the transcendentals of the broadcast operand (log b, ...) arrays of b's size,
    // computed by one kernel of sibling outputs (they all read b)
    expect(g.lastRun!.kernels).toBe(backend === 'wasm' ? 2 : 1);
    expect(g.lastRun!.launches).toBe(g.lastRun!.kernels);
  });

  it('slices with steps, transposes, flips and reshapes (merging and splitting axes)', async () => {
    const f = (a: Tensor) => {
      const s = a.get('1:-1', '::2', '1:'); // [2,3,4]
      const t = permute(a, [2, 0, 1]); // [5,4,6]
      const r = reshape(reshape(t, [20, 6]), [5, 2, 12]);
      const fl = flip(a, [0, 2]);
      return [s.mul(2), r.add(1), fl, reshape(a, [24, 5]).get('::5')];
    };
    await checkJit(f, [x], backend);
  });

  it('pads (constant, circular, interior) and concatenates', async () => {
    const f = (a: Tensor) => {
      const c = pad(a, [1, 2], 'circular'); // last axis 5 → 8
      const k = pad(a, [2, 1, 0, 3], 'constant', -0.5); // [4, 9, 8]
      const i = bind1(P.pad, [a], { lo: [1, 0, 0], hi: [0, 2, 1], interior: [1, 0, 2], value: 3 });
      const cc = cat([a, a.mul(2), a.get(':', '1:3')], 1); // [4, 14, 5]
      return [c, k, i, cc, cat([c.get(':', ':', '1:6'), a], 0)];
    };
    await checkJit(f, [x], backend);
  });

  it('reduces over small axes (unrolled) and long axes (loops), max/min and mean', async () => {
    const long = rand([3, 300], { seed: 3 });
    const longer = rand([2, 3000], { seed: 15 }); // a 3000-step loop (gpu.js caps dynamic loops at 1000)
    const f = (a: Tensor, l: Tensor, ll: Tensor) => [
      sum(ll, 1),
      sum(a, [1]),
      sum(a, [0, 2]),
      amax(a, 2),
      amin(a, [0, 1]),
      mean(a),
      sum(l, 1),
      amax(l, 1),
      sum(l.mul(l), [0, 1]),
    ];
    await checkJit(f, [x, long, longer], backend, 2e-6);
  });

  it('contracts: small w @ I, long and batched matmul', async () => {
    const w = rand([8], { seed: 4 });
    const I = rand([3, 8, 10], { seed: 5 });
    const A = rand([7, 120], { seed: 6 });
    const Bm = rand([120, 9], { seed: 7 });
    const f = (wv: Tensor, Iv: Tensor, a: Tensor, b: Tensor) => [
      matmul(wv, Iv),
      matmul(a, b),
      matmul(Iv, permute(Iv, [0, 2, 1])),
    ];
    await checkJit(f, [w, I, A, Bm], backend, 2e-6);
  });

  it('gathers and scatter-adds with integer indices', async () => {
    const idx = tensor([3, 0, 4, 4, 1], { dtype: 'int32' });
    const idx2 = tensor(
      [
        [0, 1, 0],
        [2, 0, 1],
      ],
      { dtype: 'int32' },
    );
    const m = rand([3, 3], { seed: 8 });
    const f = (a: Tensor, i: Tensor, i2: Tensor, mm: Tensor) => [
      indexSelect(a, 2, i),
      gather(mm, 0, i2),
      scatterAdd(mm, 0, i2, mm.get(':2').mul(10)),
    ];
    await checkJit(f, [x, idx, idx2, m], backend);
  });

  it('folds arrays of rank 4 and 5 into at most three kernel axes', async () => {
    const a4 = rand([2, 3, 4, 5], { seed: 9 });
    const a5 = rand([2, 1, 3, 2, 7], { seed: 10 });
    const f = (a: Tensor, b: Tensor) => [
      permute(a, [3, 1, 0, 2]).mul(2),
      sum(a, [1, 3]),
      b.sin().add(reshape(b, [2, 3, 14]).get(':', ':', '::2').sum().mul(0.1)),
    ];
    await checkJit(f, [a4, a5], backend);
  });

  it('returns int32 and bool outputs exactly', async () => {
    const k = tensor([5, -3, 7, 2], { dtype: 'int32' });
    const f = (a: Tensor, kk: Tensor) => [
      a.gt(0),
      kk.mul(3).add(1),
      kk.div(2),
      cast(a.get(0).lt(0.1), 'int32'),
      cast(a.mul(7), 'int32'),
    ];
    await checkJit(f, [x, k], backend);
  });

  it('runs a large flat array (one kernel axis) and a scalar output', async () => {
    const big = rand([100_003], { seed: 11 });
    const f = (a: Tensor) => [a.mul(a).add(1).log(), sum(a.get(':64'))];
    await checkJit(f, [big], backend);
  });
});

describe.each(BACKENDS)('jit constants and loops on %s', (backend) => {
  it('reads closed-over constant arrays, constant scan inputs and constant initial carries', async () => {
    const table = rand([4, 6, 5], { seed: 12 });
    const steps = rand([6, 5], { seed: 13, low: -1, high: 1 });
    const f = (a: Tensor) => {
      const [c, ys] = scan(
        (h: Tensor, s: Tensor) => [h.mul(0.9).add(s).add(a.get(0, 0)), h.sum()],
        zeros([5]),
        steps,
      );
      return [a.mul(table).add(table.get(':', '::-1')), c, ys];
    };
    await checkJit(f, [x], backend);
  });
});

describe('webasm threads', () => {
  it('runs a pipeline on gpu.js worker pool (fused-threaded) with the same results', async ({ skip }) => {
    const modes = await availableModes();
    if (!modes.threads) skip('gpu.js reports no WebAssembly threads on this platform');
    const big = rand([64, 1024], { seed: 14 });
    const f = (a: Tensor) => fori(5, (c: Tensor) => c.mul(0.5).add(a.sin()), a);
    const g = jit(f, { backend: 'webasm', strict: true, threads: true });
    const got = await g(big);
    expect(relErr(got, f(big))).toBeLessThan(2e-6);
    expect(g.lastRun!.backend).toBe('webasm');
    expect(g.lastRun!.executors.map((e) => e.executorKind)).toEqual(['fused-threaded']);
  });
});

describe('jit without kernels', () => {
  it('returns constants and inputs passed straight through', async () => {
    const c = tensor([1, 2, 3]);
    const g = jit((a: Tensor) => [a, c.mul(2)], { backend: 'webasm', strict: true });
    const [a, b] = await g(x);
    expect(Array.from(a.toTypedArray())).toEqual(Array.from(Float32Array.from(x.toTypedArray())));
    expect(Array.from(b.toTypedArray())).toEqual([2, 4, 6]);
  });
});
