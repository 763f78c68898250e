/** Jacobians and Hessians: vmap of jvp over basis vectors (jacfwd) or of the pullback (jacrev). */
import { eye, zerosLike } from '../ops/creation';
import { cast } from '../ops/elementwise';
import { cat, movedim, reshape, sliceAxis } from '../ops/shape';
import type { Tensor } from '../tensor/tensor';
import { jvpFlat } from '../transforms/jvp';
import { materialize, vmapFlat } from '../transforms/vmap';
import { offsetsOf } from '../util/arrays';
import { flatten, type TreeDef, unflatten } from '../util/pytree';
import { type Argnums, normalizeArgnums, splitArgs, splitAux } from './args';
import { traceVjp } from './grad';

export interface JacobianOptions {
  argnums?: Argnums;
  hasAux?: boolean;
  /** Basis vectors per vmap pass (less memory); all at once by default. */
  chunkSize?: number;
}

/** Cut a flat basis vector into pieces shaped like `like`. */
function pieces(v: Tensor, like: readonly Tensor[]): Tensor[] {
  const offs = offsetsOf(like.map((x) => x.size));
  return like.map((x, i) => cast(reshape(sliceAxis(v, 0, offs[i]!, offs[i]! + x.size), x.shape), x.dtype));
}

/**
 * vmap `fn` over the rows of eye(n), `chunkSize` rows at a time. Outputs that depend on the row come back
 * stacked along axis 0; outputs that do not (primal values, aux) come back once.
 */
function overBasis(
  fn: (v: Tensor) => Tensor[],
  n: number,
  chunkSize = n,
): { outs: Tensor[]; rowwise: (k: number) => Tensor } {
  const basis = eye(n);
  const parts: Tensor[][] = [];
  let batched: boolean[] = [];
  for (let s = 0; s < n; s += chunkSize) {
    const rows = Math.min(chunkSize, n - s);
    const [outs, dims] = vmapFlat((xs) => fn(xs[0]!), [sliceAxis(basis, 0, s, s + rows)], [0], rows);
    batched = dims.map((d) => d !== null);
    parts.push(outs);
  }
  const outs = parts[0]!.map((o, k) =>
    batched[k] && parts.length > 1
      ? cat(
          parts.map((p) => p[k]!),
          0,
        )
      : o,
  );
  return { outs, rowwise: (k) => (batched[k] ? outs[k]! : materialize(outs[k]!, null, n)) };
}

/** Arrange per-(output leaf, input leaf) blocks as the output tree of (argnums-shaped) input trees. */
function assemble(
  outDef: TreeDef,
  outLeaves: readonly Tensor[],
  block: (i: number) => Tensor[],
  group: (flat: readonly Tensor[]) => unknown[],
  argnums: Argnums,
) {
  return unflatten(
    outDef,
    outLeaves.map((_, i) => {
      const g = group(block(i));
      return typeof argnums === 'number' ? g[0] : g;
    }),
  );
}

export function jacrev(f: (...a: any[]) => any, opts: JacobianOptions = {}): (...args: any[]) => any {
  const { argnums = 0, hasAux = false, chunkSize } = opts;
  return (...args) => {
    const an = normalizeArgnums('jacrev', argnums, args.length);
    const { leaves, rebuild, group } = splitArgs(args, an);
    const { outDef, outLeaves, aux, pull } = traceVjp('jacrev', f, rebuild, leaves, hasAux);
    const m = outLeaves.reduce((s, o) => s + o.size, 0);
    // rows[j]: [m, ...shape of input leaf j]
    const basis = overBasis((v) => pull(pieces(v, outLeaves)), m, chunkSize);
    const rows = leaves.map((_, j) => basis.rowwise(j));
    const offsets = outLeaves.map((_, i) => outLeaves.slice(0, i).reduce((s, o) => s + o.size, 0));
    const block = (i: number) =>
      rows.map((r, j) =>
        reshape(sliceAxis(r, 0, offsets[i]!, offsets[i]! + outLeaves[i]!.size), [
          ...outLeaves[i]!.shape,
          ...leaves[j]!.shape,
        ]),
      );
    const jac = assemble(outDef, outLeaves, block, group, argnums);
    return hasAux ? [jac, aux] : jac;
  };
}

export function jacfwd(f: (...a: any[]) => any, opts: JacobianOptions = {}): (...args: any[]) => any {
  const { argnums = 0, hasAux = false, chunkSize } = opts;
  return (...args) => {
    const an = normalizeArgnums('jacfwd', argnums, args.length);
    const { leaves, rebuild, group } = splitArgs(args, an);
    const n = leaves.reduce((s, x) => s + x.size, 0);
    let outDef!: TreeDef;
    let auxDef!: TreeDef;
    let nOut = 0;
    const flatF = (xs: Tensor[]) => {
      const [out, aux] = splitAux('jacfwd', f(...rebuild(xs)), hasAux);
      const [ol, od] = flatten(out);
      const [al, ad] = flatten(aux);
      [outDef, auxDef, nOut] = [od, ad, ol.length];
      return [...ol, ...al];
    };
    const { outs, rowwise } = overBasis(
      (v) => {
        const [primals, touts] = jvpFlat(flatF, leaves, pieces(v, leaves));
        return [...primals.slice(0, nOut).map((o, i) => touts[i] ?? zerosLike(o)), ...primals];
      },
      n,
      chunkSize,
    );
    const tangents = outs.slice(0, nOut).map((_, i) => rowwise(i));
    const outLeaves = outs.slice(nOut, 2 * nOut);
    const auxLeaves = outs.slice(2 * nOut);
    const offsets = leaves.map((_, j) => leaves.slice(0, j).reduce((s, x) => s + x.size, 0));
    const block = (i: number) => {
      const t = movedim(tangents[i]!, 0, -1);
      return leaves.map((x, j) =>
        reshape(sliceAxis(t, -1, offsets[j]!, offsets[j]! + x.size), [...outLeaves[i]!.shape, ...x.shape]),
      );
    };
    const jac = assemble(outDef, outLeaves, block, group, argnums);
    return hasAux ? [jac, unflatten(auxDef, auxLeaves)] : jac;
  };
}

/** hessian = jacfwd(jacrev(f)): forward over reverse, as torch.func does. */
export function hessian(f: (...a: any[]) => any, opts: { argnums?: Argnums; chunkSize?: number } = {}) {
  return jacfwd(jacrev(f, { argnums: opts.argnums ?? 0 }), opts);
}
