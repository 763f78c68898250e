/** nn.Linear as a pure function of its parameters, so transforms can take derivatives w.r.t. either. */
import { type DTypeOption, rand } from '../ops/creation';
import { add } from '../ops/elementwise';
import { matmul } from '../ops/linalg';
import { transpose } from '../ops/shape';
import type { Tensor } from '../tensor/tensor';

/** The parameters of a linear layer (torch.nn.Linear): weight [out, in] and bias [out]. */
export interface LinearParams {
  weight: Tensor; // [out, in]
  bias: Tensor; // [out]
}

/** PyTorch's default initialisation: U(-1/√in, 1/√in) for weight and bias, from a seed. */
export function initLinear(
  inFeatures: number,
  outFeatures: number,
  opts: DTypeOption & { seed?: number } = {},
): LinearParams {
  const bound = 1 / Math.sqrt(inFeatures);
  const seed = opts.seed ?? 0;
  return {
    weight: rand([outFeatures, inFeatures], { ...opts, seed, low: -bound, high: bound }),
    bias: rand([outFeatures], { ...opts, seed: seed + 1, low: -bound, high: bound }),
  };
}

/** y = x Wᵀ + b for x of shape [..., in]. */
export function linear(params: LinearParams, x: Tensor): Tensor {
  return add(matmul(x, transpose(params.weight)), params.bias);
}
