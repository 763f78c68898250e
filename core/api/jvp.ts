/** Forward mode for users: jvp and linearize over pytrees. */
import { zerosLike } from '../ops/creation';
import { cast } from '../ops/elementwise';
import type { Tensor } from '../tensor/tensor';
import { jvpFlat } from '../transforms/jvp';
import { vjpFlat } from '../transforms/vjp';
import { flatten, unflatten } from '../util/pytree';
import { matchTree, splitAux } from './args';

/** Options of {@link jvp}. */
export interface JvpOptions {
  hasAux?: boolean;
}

/** jvp(f, primals, tangents) → [f(...primals), J·tangents] (and aux last with hasAux). */
export function jvp(
  f: (...a: any[]) => any,
  primals: readonly unknown[],
  tangents: readonly unknown[],
  opts: JvpOptions = {},
): any[] {
  if (!Array.isArray(primals) || !Array.isArray(tangents))
    throw new Error('jvp: primals and tangents must be arrays (one entry per argument)');
  const [leaves, def] = flatten(primals);
  const tleaves = matchTree('jvp', 'the tangents', tangents, def, leaves).map((t, i) =>
    cast(t, leaves[i]!.dtype),
  );
  let outDef!: ReturnType<typeof flatten>[1];
  let auxDef!: ReturnType<typeof flatten>[1];
  let nOut = 0;
  const [outs, touts] = jvpFlat(
    (xs) => {
      const [out, aux] = splitAux('jvp', f(...unflatten(def, xs)), !!opts.hasAux);
      const [ol, od] = flatten(out);
      const [al, ad] = flatten(aux);
      [outDef, auxDef, nOut] = [od, ad, ol.length];
      return [...ol, ...al];
    },
    leaves,
    tleaves,
  );
  const primalOut = unflatten(outDef, outs.slice(0, nOut));
  const tangentOut = unflatten(
    outDef,
    outs.slice(0, nOut).map((o, i) => touts[i] ?? zerosLike(o)),
  );
  return opts.hasAux ? [primalOut, tangentOut, unflatten(auxDef, outs.slice(nOut))] : [primalOut, tangentOut];
}

/**
 * linearize(f, ...primals) → [f(...primals), jvpFn]: jvpFn(...tangents) applies the Jacobian at the primals
 * without re-running f. It transposes the pullback (a linear map), so only the saved residuals are used.
 */
export function linearize(
  f: (...a: any[]) => any,
  ...primals: unknown[]
): [any, (...tangents: unknown[]) => any] {
  const [leaves, def] = flatten(primals);
  let outDef!: ReturnType<typeof flatten>[1];
  const [outs, pullback] = vjpFlat((xs) => {
    const [ol, od] = flatten(f(...unflatten(def, xs)));
    outDef = od;
    return ol;
  }, leaves);
  const [, transposed] = vjpFlat(
    (cts) => pullback(cts).map((c, i) => c ?? zerosLike(leaves[i]!)),
    outs.map((o) => zerosLike(o)),
  );
  const jvpFn = (...tangents: unknown[]) => {
    const t = matchTree('linearize', 'the tangents', tangents, def, leaves);
    const res = transposed(t.map((x, i) => cast(x, leaves[i]!.dtype)));
    return unflatten(
      outDef,
      res.map((r: Tensor | null, i: number) => r ?? zerosLike(outs[i]!)),
    );
  };
  return [unflatten(outDef, outs), jvpFn];
}
