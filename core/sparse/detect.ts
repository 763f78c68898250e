/** Sparsity patterns of Jacobians and Hessians, by the structural transform in transforms/sparsity.ts. */

import { type Argnums, normalizeArgnums, splitArgs } from '../api/args';
import { onesLike, zerosLike } from '../ops/creation';
import { isFloat } from '../tensor/dtype';
import { fmt, sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { sparsityFlat } from '../transforms/sparsity';
import { vjpFlat } from '../transforms/vjp';
import { flatten } from '../util/pytree';
import { SparsityPattern } from './pattern';

/** Options of {@link jacobianSparsity} and {@link hessianSparsity}. */
export interface SparsityOptions {
  argnums?: Argnums;
  /** The pattern at the given point (branches as taken there) instead of the one valid everywhere. */
  local?: boolean;
}

/**
 * The differentiated leaves of `args` and `f` as a flat function of them (outputs flattened too), with a
 * check that they are floating point.
 */
export function flatProblem(op: string, f: (...a: any[]) => any, args: unknown[], argnums: Argnums) {
  const an = normalizeArgnums(op, argnums, args.length);
  const { leaves, rebuild } = splitArgs(args, an);
  for (const x of leaves)
    if (!isFloat(x.dtype))
      throw new Error(`${op}: can only differentiate floating-point inputs, got ${x.dtype}`);
  const flatF = (xs: Tensor[]): Tensor[] => flatten(f(...rebuild(xs)))[0];
  const n = leaves.reduce((s, x) => s + x.size, 0);
  return { leaves, flatF, n };
}

/** The rows of every output leaf, stacked in flattening order, over the n input elements. */
export function patternOf(f: (xs: Tensor[]) => Tensor[], leaves: Tensor[], local: boolean): SparsityPattern {
  const { avals, deps, inputSize } = sparsityFlat(f, leaves, local);
  return SparsityPattern.vstack(
    avals.map((a, i) => SparsityPattern.fromBitRows(deps[i]!, sizeOf(a.shape), inputSize)),
    inputSize,
  );
}

/**
 * jacobianSparsity(f, {argnums})(...args): which output element can depend on which input element. Rows are
 * the output elements (every leaf flattened in order), columns the elements of args[argnums] (likewise).
 */
export function jacobianSparsity(
  f: (...a: any[]) => any,
  opts: SparsityOptions = {},
): (...args: any[]) => SparsityPattern {
  const { argnums = 0, local = false } = opts;
  return (...args) => {
    const { leaves, flatF } = flatProblem('jacobianSparsity', f, args, argnums);
    return patternOf(flatF, leaves, local);
  };
}

/** The gradient of a scalar flat function as a flat function (zeros for inputs it does not reach). */
export function gradFlat(op: string, f: (xs: Tensor[]) => Tensor[]) {
  return (xs: Tensor[]): Tensor[] => {
    const [outs, pullback] = vjpFlat(f, xs);
    const y = outs[0];
    if (outs.length !== 1 || !y || y.size !== 1)
      throw new Error(
        `${op}: the function must return one scalar tensor, got ${outs.map((o) => fmt(o.shape)).join(', ') || 'nothing'}`,
      );
    return pullback([onesLike(y)]).map((g, i) => g ?? zerosLike(xs[i]!));
  };
}

/** hessianSparsity(f, {argnums})(...args): the pattern of the Hessian of a scalar f (the Jacobian of its gradient). */
export function hessianSparsity(
  f: (...a: any[]) => any,
  opts: SparsityOptions = {},
): (...args: any[]) => SparsityPattern {
  const { argnums = 0, local = false } = opts;
  return (...args) => {
    const { leaves, flatF } = flatProblem('hessianSparsity', f, args, argnums);
    return patternOf(gradFlat('hessianSparsity', flatF), leaves, local);
  };
}
