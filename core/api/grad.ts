/** Reverse mode for users: vjp, grad, valueAndGrad (torch.func semantics over pytrees). */

import { onesLike, zerosLike } from '../ops/creation';
import { isFloat } from '../tensor/dtype';
import { fmt } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { vjpFlat } from '../transforms/vjp';
import { flatten, unflatten } from '../util/pytree';
import { type Argnums, matchTree, normalizeArgnums, splitArgs, splitAux } from './args';

/** Run f under vjp on flat leaves; aux leaves ride along as extra outputs and get no cotangent. */
function traceVjp(
  op: string,
  f: (...a: any[]) => unknown,
  rebuild: (xs: readonly Tensor[]) => unknown[],
  leaves: Tensor[],
  hasAux: boolean,
) {
  let outDef!: ReturnType<typeof flatten>[1];
  let auxDef!: ReturnType<typeof flatten>[1];
  let nOut = 0;
  const [outs, pullback] = vjpFlat((xs) => {
    const [out, aux] = splitAux(op, f(...rebuild(xs)), hasAux);
    const [ol, od] = flatten(out);
    const [al, ad] = flatten(aux);
    outDef = od;
    auxDef = ad;
    nOut = ol.length;
    return [...ol, ...al];
  }, leaves);
  const outLeaves = outs.slice(0, nOut);
  const aux = unflatten(auxDef, outs.slice(nOut));
  const pull = (cts: (Tensor | null)[]) => {
    const ins = pullback([...cts, ...outs.slice(nOut).map(() => null)]);
    return ins.map((c, i) => c ?? zerosLike(leaves[i]!));
  };
  return { outDef, outLeaves, aux, pull };
}

/** [output, pullback]: pullback(cotangent shaped like the output) returns one cotangent per primal. */
export function vjp<F extends (...a: any[]) => any>(
  f: F,
  ...primals: Parameters<F>
): [ReturnType<F>, (ct: any) => any[]] {
  const [leaves, def] = flatten(primals);
  const { outDef, outLeaves, pull } = traceVjp('vjp', f, (xs) => unflatten(def, xs), leaves, false);
  const pullback = (ct: unknown) =>
    unflatten(def, pull(matchTree('vjp', 'the cotangent', ct, outDef, outLeaves)));
  return [unflatten(outDef, outLeaves), pullback];
}

export interface GradOptions {
  argnums?: Argnums;
  hasAux?: boolean;
}

function gradImpl(op: string, f: (...a: any[]) => unknown, opts: GradOptions, args: unknown[]) {
  const { argnums = 0, hasAux = false } = opts;
  const an = normalizeArgnums(op, argnums, args.length);
  const { leaves, rebuild, group } = splitArgs(args, an);
  for (const x of leaves)
    if (!isFloat(x.dtype))
      throw new Error(`${op}: can only differentiate floating-point inputs, got ${x.dtype}`);
  const { outLeaves, outDef, aux, pull } = traceVjp(op, f, rebuild, leaves, hasAux);
  const y = outLeaves[0];
  if (outDef.kind !== 'leaf' || !y || y.size !== 1)
    throw new Error(
      `${op}: the function must return a scalar tensor (one element), got ${y && outDef.kind === 'leaf' ? `shape ${fmt(y.shape)}` : 'a structure of tensors'}`,
    );
  if (!isFloat(y.dtype)) throw new Error(`${op}: the output must be floating point, got ${y.dtype}`);
  const grads = group(pull([onesLike(y)]));
  return { value: y, grads: typeof argnums === 'number' ? grads[0] : grads, aux };
}

/** grad(f)(...args): the gradient of a scalar function w.r.t. args[argnums]. */
export function grad(f: (...a: any[]) => any, opts: GradOptions = {}): (...args: any[]) => any {
  return (...args) => {
    const { grads, aux } = gradImpl('grad', f, opts, args);
    return opts.hasAux ? [grads, aux] : grads;
  };
}

/** [value, grad] (with hasAux: [[value, aux], grad], as JAX's value_and_grad). */
export function valueAndGrad(f: (...a: any[]) => any, opts: GradOptions = {}): (...args: any[]) => any {
  return (...args) => {
    const { value, grads, aux } = gradImpl('valueAndGrad', f, opts, args);
    return [opts.hasAux ? [value, aux] : value, grads];
  };
}

export { traceVjp };
