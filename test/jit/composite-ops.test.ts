/**
 * The ops written as compositions compile like any other ops: values, derivatives and a vmap of them under jit
 * against the eager float64 path, on core's wasm target (float64 kept) and on gpu.js's targets (float32).
 */
import { describe, it } from 'vitest';
import {
  argmax,
  argmin,
  clamp,
  cumprod,
  cumsum,
  einsum,
  grad,
  jacrev,
  logSoftmax,
  logsumexp,
  max,
  min,
  prod,
  rand,
  relu,
  roll,
  softmax,
  sum,
  type Tensor,
  vmap,
} from '../../core/index';
import { BACKENDS, checkJit } from './helpers';

const x = rand([3, 5, 4], { seed: 21, low: -1.5, high: 1.5 });
const w = rand([4, 2], { seed: 22, low: -1, high: 1 });

/** Every composite op once, on x of shape [3,5,4] (w: [4,2]). */
const allOps = (a: Tensor, b: Tensor): Tensor[] => [
  softmax(a, -1),
  logSoftmax(a, 1),
  logsumexp(a, [0, 2]),
  prod(a, 1),
  cumsum(a, 1),
  cumprod(a, 2),
  roll(a, [2, -1], [1, 2]),
  einsum('bij,jk->bik', a, b),
  einsum('bij,bij->i', a, a),
  relu(a),
  clamp(a, -0.5, 0.5),
  max(a, 1).values,
  min(a, 2, { keepdim: true }).values,
  argmax(a, 1),
  argmin(a, -1),
];

/** A scalar of every differentiable one. */
const objective = (a: Tensor, b: Tensor): Tensor =>
  allOps(a, b)
    .filter((t) => t.dtype === 'float64')
    .reduce((s, t) => s.add(sum(t).mul(0.01)), sum(a).mul(0));

describe.each(BACKENDS)('composite ops under jit on %s', (backend) => {
  it('values, int32 indices included', async () => {
    await checkJit(allOps, [x, w], backend, 2e-5);
  });

  it('grad, jacrev and vmap of them', async () => {
    await checkJit(grad(objective), [x, w], backend, 2e-5);
    await checkJit(
      (a: Tensor) => jacrev((z: Tensor) => einsum('ij,jk->ik', softmax(z, 0), w))(a),
      [x.get(0)],
      backend,
      2e-5,
    );
    await checkJit(
      vmap((a: Tensor) => cumprod(logSoftmax(a, 0), 1)),
      [x],
      backend,
      2e-5,
    );
  });
});
