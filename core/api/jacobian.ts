/** Jacobians and Hessians: vmap of jvp over basis vectors (jacfwd) or of the pullback (jacrev). */

import { makeJaxpr } from '../ir/stage';
import { eye, zerosLike } from '../ops/creation';
import { cast } from '../ops/elementwise';
import { cat, movedim, reshape, sliceAxis } from '../ops/shape';
import { isFloat } from '../tensor/dtype';
import { sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { jvpFlat } from '../transforms/jvp';
import { materialize, vmapFlat } from '../transforms/vmap';
import { offsetsOf } from '../util/arrays';
import { flatten, type TreeDef, unflatten } from '../util/pytree';
import { type Argnums, normalizeArgnums, splitArgs, splitAux } from './args';
import { traceVjp } from './grad';

/** Options of {@link jacfwd} and {@link jacrev}. */
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

/**
 * A Jacobian as rows of a basis, for given arguments: `rows(V)` computes the Jacobian-vector (or
 * vector-Jacobian) products for the basis vectors in V's rows — the first `rowwise` outputs stacked along axis
 * 0, then the outputs that do not depend on the row — and `assemble` arranges the products of all n rows into
 * the Jacobian tree. jacfwd and jacrev are `assemble(rows(eye(n)))` (in chunks with chunkSize); jit runs `rows`
 * compiled, chunk by chunk (see basisSplit).
 */
export interface BasisRows {
  /** Basis size: the inputs' total size (jacfwd) or the outputs' (jacrev). */
  readonly n: number;
  rows(V: Tensor): Tensor[];
  /** How many leading outputs of `rows` are stacked per row (known once `rows` has run or been staged). */
  rowwise(): number;
  assemble(outs: Tensor[]): unknown;
}
type RowsOf = ((args: unknown[]) => BasisRows) & {
  /** n without computing anything (the outputs' size from a staged, not evaluated, f for jacrev). */
  size(args: unknown[]): number;
};

const BASIS = Symbol('jacobian basis');

/** PyTorch refuses Jacobians of integer or bool outputs (they have no derivative); so do we, instead of zeros. */
function requireFloatOutputs(op: string, outs: readonly Tensor[]): void {
  outs.forEach((o, i) => {
    if (!isFloat(o.dtype))
      throw new Error(
        `${op}: output ${i} is ${o.dtype}, but a Jacobian needs floating-point outputs; cast it with .to('float64'), or return it as aux with hasAux: true`,
      );
  });
}

function revRows(f: (...a: any[]) => any, opts: JacobianOptions): RowsOf {
  const { argnums = 0, hasAux = false } = opts;
  const size = (args: unknown[]) => {
    const { leaves, rebuild } = splitArgs(args, normalizeArgnums('jacrev', argnums, args.length));
    const { jaxpr } = makeJaxpr(
      (...xs: Tensor[]) => flatten(splitAux('jacrev', f(...rebuild(xs)), hasAux)[0])[0],
      leaves.map((l) => ({ shape: l.shape, dtype: l.dtype })),
    );
    return jaxpr.outVars.reduce((s, v) => s + sizeOf(v.aval.shape), 0);
  };
  return Object.assign(
    (args: unknown[]): BasisRows => {
      const { leaves, rebuild, group } = splitArgs(args, normalizeArgnums('jacrev', argnums, args.length));
      const { outDef, outLeaves, aux, pull } = traceVjp('jacrev', f, rebuild, leaves, hasAux);
      requireFloatOutputs('jacrev', outLeaves);
      const [auxLeaves, auxDef] = flatten(aux);
      const sizes = outLeaves.map((o) => o.size);
      return {
        n: sizes.reduce((a, b) => a + b, 0),
        rowwise: () => leaves.length,
        rows: (V) => {
          const n = V.shape[0]!;
          const [outs, dims] = vmapFlat((xs) => pull(pieces(xs[0]!, outLeaves)), [V], [0], n);
          // per basis vector, a cotangent for every input leaf; then the outputs and aux, the same for every row
          return [...outs.map((o, j) => materialize(o, dims[j]!, n)), ...outLeaves, ...auxLeaves];
        },
        assemble: (outs) => {
          const rows = outs.slice(0, leaves.length);
          const outs2 = outs.slice(leaves.length, leaves.length + outLeaves.length);
          const offsets = offsetsOf(sizes);
          const block = (i: number) =>
            rows.map((r, j) =>
              reshape(sliceAxis(r, 0, offsets[i]!, offsets[i]! + sizes[i]!), [
                ...outLeaves[i]!.shape,
                ...leaves[j]!.shape,
              ]),
            );
          const jac = assemble(outDef, outs2, block, group, argnums);
          return hasAux ? [jac, unflatten(auxDef, outs.slice(leaves.length + outLeaves.length))] : jac;
        },
      };
    },
    { size },
  );
}

function fwdRows(f: (...a: any[]) => any, opts: JacobianOptions): RowsOf {
  const { argnums = 0, hasAux = false } = opts;
  const prepare = (args: unknown[]) => splitArgs(args, normalizeArgnums('jacfwd', argnums, args.length));
  const size = (args: unknown[]) => prepare(args).leaves.reduce((s, x) => s + x.size, 0);
  return Object.assign(
    (args: unknown[]): BasisRows => {
      const { leaves, rebuild, group } = prepare(args);
      let outDef!: TreeDef;
      let auxDef!: TreeDef;
      let nOut = -1;
      const flatF = (xs: Tensor[]) => {
        const [out, aux] = splitAux('jacfwd', f(...rebuild(xs)), hasAux);
        const [ol, od] = flatten(out);
        const [al, ad] = flatten(aux);
        requireFloatOutputs('jacfwd', ol);
        [outDef, auxDef, nOut] = [od, ad, ol.length];
        return [...ol, ...al];
      };
      return {
        n: leaves.reduce((s, x) => s + x.size, 0),
        rowwise: () => nOut,
        rows: (V) => {
          const n = V.shape[0]!;
          const [outs, dims] = vmapFlat(
            (xs) => {
              const [primals, touts] = jvpFlat(flatF, leaves, pieces(xs[0]!, leaves));
              return [...primals.slice(0, nOut).map((o, i) => touts[i] ?? zerosLike(o)), ...primals];
            },
            [V],
            [0],
            n,
          );
          // per basis vector, a tangent of every output; then the outputs and aux, the same for every row
          return [...outs.slice(0, nOut).map((o, i) => materialize(o, dims[i]!, n)), ...outs.slice(nOut)];
        },
        assemble: (outs) => {
          const tangents = outs.slice(0, nOut);
          const outLeaves = outs.slice(nOut, 2 * nOut);
          const offsets = offsetsOf(leaves.map((x) => x.size));
          const block = (i: number) => {
            const t = movedim(tangents[i]!, 0, -1);
            return leaves.map((x, j) =>
              reshape(sliceAxis(t, -1, offsets[j]!, offsets[j]! + x.size), [
                ...outLeaves[i]!.shape,
                ...x.shape,
              ]),
            );
          };
          const jac = assemble(outDef, outLeaves, block, group, argnums);
          return hasAux ? [jac, unflatten(auxDef, outs.slice(2 * nOut))] : jac;
        },
      };
    },
    { size },
  );
}

/** Chunks of rows joined: the row-stacked outputs concatenated, the others taken from the first chunk. */
export function joinRows(parts: readonly Tensor[][], rowwise: number): Tensor[] {
  if (parts.length === 1) return parts[0]!;
  return parts[0]!.map((t, k) =>
    k < rowwise
      ? cat(
          parts.map((p) => p[k]!),
          0,
        )
      : t,
  );
}

/** The Jacobian function: all rows at once, or `chunkSize` rows per vmap pass. */
function jacobianOf(rowsOf: RowsOf, chunkSize: number | undefined): (...args: any[]) => any {
  const jac = (...args: unknown[]) => {
    const b = rowsOf(args);
    const { n } = b;
    const step = chunkSize ?? n;
    const parts: Tensor[][] = [];
    for (let s = 0; s < n; s += step) parts.push(b.rows(sliceAxis(eye(n), 0, s, Math.min(n, s + step))));
    return b.assemble(joinRows(parts, b.rowwise()));
  };
  Object.defineProperty(jac, BASIS, { value: rowsOf });
  return jac;
}

/**
 * For a function made by jacfwd or jacrev: its Jacobian as rows of a basis (so a compiler can compute the
 * rows in chunks with one program, the basis rows being an input). Null for any other function.
 */
export type { RowsOf };

export function basisSplit(f: unknown): RowsOf | null {
  return ((f as Record<symbol, RowsOf> | null)?.[BASIS] as RowsOf | undefined) ?? null;
}

/** torch.func.jacrev: the Jacobian by reverse mode, one vjp per output entry (vmapped); shape [...out, ...in]. */
export function jacrev(f: (...a: any[]) => any, opts: JacobianOptions = {}): (...args: any[]) => any {
  return jacobianOf(revRows(f, opts), opts.chunkSize);
}

/** torch.func.jacfwd: the Jacobian by forward mode, one jvp per input entry (vmapped); shape [...out, ...in]. */
export function jacfwd(f: (...a: any[]) => any, opts: JacobianOptions = {}): (...args: any[]) => any {
  return jacobianOf(fwdRows(f, opts), opts.chunkSize);
}

/** Options of {@link hessian}. */
export interface HessianOptions {
  argnums?: Argnums;
  /** f returns [output, aux]: the result is [hessian, aux], as JAX's hessian(has_aux=True). */
  hasAux?: boolean;
  /** Basis vectors per vmap pass of the outer (forward) Jacobian. */
  chunkSize?: number;
}

/** hessian = jacfwd(jacrev(f)): forward over reverse, as torch.func does. */
export function hessian(f: (...a: any[]) => any, opts: HessianOptions = {}) {
  const { argnums = 0, hasAux = false, chunkSize } = opts;
  // With hasAux, jacrev returns [jacobian, aux], which the outer jacfwd reads as [output, aux] in turn.
  return jacfwd(jacrev(f, { argnums, hasAux }), { argnums, hasAux, chunkSize });
}

/**
 * A scalar f's value, gradient and hessian in one forward-over-forward pass: [value, grad, hessian]. For a few
 * inputs (a handful of parameters) this is the cheaper way: n inputs cost (1 + n)² forward streams, 1 + n + n²
 * once the wasm target merges the repeated first-order stream of a loop (dedupeScans), and store no residuals,
 * where hessian's reverse pass costs several forward passes per tangent and keeps every step.
 * For many inputs use hessian.
 */
export function valueGradHessian(
  f: (...a: any[]) => Tensor,
  opts: { argnums?: number } = {},
): (...args: any[]) => [Tensor, Tensor, Tensor] {
  const { argnums = 0 } = opts;
  const withValue = (...a: any[]) => {
    const v = f(...a);
    return [v, v];
  };
  const gradWithValue = jacfwd(withValue, { argnums, hasAux: true });
  const withGrad = (...a: any[]) => {
    const [g, v] = gradWithValue(...a) as [Tensor, Tensor];
    return [g, [g, v]];
  };
  const all = jacfwd(withGrad, { argnums, hasAux: true });
  return (...a) => {
    const [H, [g, v]] = all(...a) as [Tensor, [Tensor, Tensor]];
    return [v, g, H];
  };
}
