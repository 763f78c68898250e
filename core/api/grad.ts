/** Reverse mode for users: vjp, grad, valueAndGrad (torch.func semantics over pytrees). */

import { onesLike, zerosLike } from '../ops/creation';
import { isFloat } from '../tensor/dtype';
import { fmt } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { vjpFlat } from '../transforms/vjp';
import { describe, flatten, type TreeDef, unflatten } from '../util/pytree';
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

/** Options of {@link vjp} (passed as its last argument). */
export interface VjpOptions {
  /** f returns [output, aux]: aux is returned as a third element and gets no cotangent. */
  hasAux?: boolean;
}

const VJP_OPTION_KEYS = new Set(['hasAux']);

/** A trailing plain object made of vjp's option keys only (and no tensors) is read as the options. */
function isVjpOptions(x: unknown): x is VjpOptions {
  if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x) !== Object.prototype) return false;
  const keys = Object.keys(x);
  return keys.length > 0 && keys.every((k) => VJP_OPTION_KEYS.has(k)) && flatten(x)[0].length === 0;
}

/**
 * torch.func.vjp: `[output, pullback]`, where `pullback(cotangent shaped like the output)` returns one
 * cotangent per primal. `vjp(f, ...primals, { hasAux: true })` returns `[output, pullback, aux]` for an `f`
 * that returns `[output, aux]` (a trailing plain object holding only `hasAux` is the options, as PyTorch's
 * keyword argument).
 * @typeParam F - the function's type (its parameters type the primals)
 */
export function vjp<F extends (...a: any[]) => any>(
  f: F,
  ...primals: Parameters<F>
): [ReturnType<F>, (ct: any) => any[]];
export function vjp(
  f: (...a: any[]) => any,
  ...primalsThenOptions: unknown[]
): [any, (ct: any) => any[], any];
export function vjp(f: (...a: any[]) => any, ...primals: unknown[]): unknown[] {
  const last = primals[primals.length - 1];
  const opts: VjpOptions = isVjpOptions(last) ? last : {};
  const args = isVjpOptions(last) ? primals.slice(0, -1) : primals;
  const hasAux = !!opts.hasAux;
  const [leaves, def] = flatten(args);
  const { outDef, outLeaves, aux, pull } = traceVjp('vjp', f, (xs) => unflatten(def, xs), leaves, hasAux);
  outLeaves.forEach((o, i) => {
    if (!isFloat(o.dtype))
      throw new Error(
        `vjp: output ${i} is ${o.dtype}; every output must be floating point (cast it with .to('float64'), or return it as aux with hasAux: true)`,
      );
  });
  const pullback = (ct: unknown) =>
    unflatten(def, pull(matchTree('vjp', 'the cotangent', ct, outDef, outLeaves)));
  const out = unflatten(outDef, outLeaves);
  return hasAux ? [out, pullback, aux] : [out, pullback];
}

/** Options of {@link grad} and {@link valueAndGrad}. */
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
  if (outDef.kind !== 'leaf' || !y || y.ndim !== 0)
    throw new Error(
      `${op}: expected f(...args) to return a 0-dim tensor, got ${describeOutput(outDef, y)}. ${
        y && outDef.kind === 'leaf'
          ? `Reduce it (sum, mean, or .reshape() for one element), or maybe you wanted vjp or jacrev?`
          : outDef.kind === 'static'
            ? 'Compute the result with core ops on the arguments so that it is a tensor.'
            : hasAux
              ? 'With hasAux, return [output, aux] where output is a 0-dim tensor.'
              : 'To return extra values next to the output, use hasAux: true and return [output, aux].'
      }`,
    );
  if (!isFloat(y.dtype))
    throw new Error(`${op}: the output must be floating point, got ${y.dtype}; cast it with .to('float64')`);
  const grads = group(pull([onesLike(y)]));
  return { value: y, grads: typeof argnums === 'number' ? grads[0] : grads, aux };
}

/** What a function returned, in words, for an error message. */
function describeOutput(def: TreeDef, y: Tensor | undefined): string {
  if (def.kind === 'leaf') return `a tensor of shape ${fmt(y!.shape)}`;
  if (def.kind === 'static') return `${def.value === null ? 'null' : typeof def.value} ${String(def.value)}`;
  return `the structure ${describe(def)}`;
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
