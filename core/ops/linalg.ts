/** matmul with PyTorch's rules for 1-D operands and broadcast batch dimensions; outer; dot. */

import { P } from '../interpreter/primitives';
import { bind1 } from '../interpreter/trace';
import { broadcastShapes, fmt } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { mul, unify } from './elementwise';
import { sum } from './reduce';
import { expand, reshape } from './shape';

/** torch.matmul: 1-D operands as vectors, batch dimensions broadcast. */
export function matmul(x: Tensor, y: Tensor): Tensor {
  const [a, b] = unify([x, y]) as [Tensor, Tensor];
  if (a.ndim === 0 || b.ndim === 0)
    throw new Error(
      `matmul: both operands need at least 1 dimension, got ${fmt(a.shape)} and ${fmt(b.shape)}`,
    );
  const k1 = a.shape[a.ndim - 1]!;
  const k2 = b.shape[b.ndim === 1 ? 0 : b.ndim - 2]!;
  if (k1 !== k2)
    throw new Error(
      `matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} do not fit (inner sizes ${k1} and ${k2} differ)`,
    );
  if (a.ndim === 1 && b.ndim === 1) return sum(mul(a, b));
  const A = a.ndim === 1 ? reshape(a, [1, k1]) : a;
  const B = b.ndim === 1 ? reshape(b, [k2, 1]) : b;
  const batch = broadcastShapes('matmul', A.shape.slice(0, -2), B.shape.slice(0, -2));
  const A2 = expand(A, [...batch, ...A.shape.slice(-2)]);
  const B2 = expand(B, [...batch, ...B.shape.slice(-2)]);
  const out = bind1(P.matmul, [A2, B2], {});
  const shape = [
    ...batch,
    ...(a.ndim === 1 ? [] : [A.shape[A.ndim - 2]!]),
    ...(b.ndim === 1 ? [] : [B.shape[B.ndim - 1]!]),
  ];
  return reshape(out, shape);
}

/** torch.outer: a[i]·b[j] for two 1-D tensors. */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new Error(`outer: needs two 1-D tensors, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
  return mul(reshape(a, [-1, 1]), reshape(b, [1, -1]));
}

/** torch.dot: Σ a[i]·b[i] for two 1-D tensors of one length. */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1 || a.shape[0] !== b.shape[0])
    throw new Error(`dot: needs two 1-D tensors of one length, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
  return sum(mul(a, b));
}
