/** torch.func.vmap over pytrees: inDims/outDims per argument or leaf, nested to any depth, optional chunking. */

import { cat, movedim, sliceAxis, squeeze } from '../ops/shape';
import { fmt, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { type BDim, materialize, vmapFlat } from '../transforms/vmap';
import { broadcastPrefix, describe, flatten, type TreeDef, unflatten } from '../util/pytree';

/** A batch dim for each input or output: a dim (or null: not batched) or a tree of them over the arguments. */
export type Dims = BDim | readonly unknown[] | Record<string, unknown>;

/** Options of {@link vmap}. */
export interface VmapOptions {
  /** A dim (or null) for every argument, or one entry per argument, each a dim or a tree of dims. Default 0. */
  inDims?: Dims;
  /** Where the batch axis goes in each output (a dim, or a tree of dims over the output). Default 0. */
  outDims?: Dims;
  /** Map over at most this many elements at a time (less memory, same result). */
  chunkSize?: number;
}

const isDim = (x: unknown): x is BDim => x === null || typeof x === 'number';

/**
 * PyTorch refuses a batch dim for an input that is not a tensor (a number would otherwise be broadcast
 * silently, as if it were the same for every batch element).
 */
function refuseNonTensors(dims: unknown, arg: unknown, where: string): void {
  if (arg instanceof Tensor) return;
  if (Array.isArray(arg)) {
    arg.forEach((a, k) => {
      refuseNonTensors(Array.isArray(dims) ? dims[k] : dims, a, `${where}[${k}]`);
    });
    return;
  }
  if (typeof arg === 'object' && arg !== null && Object.getPrototypeOf(arg) === Object.prototype) {
    for (const [k, a] of Object.entries(arg))
      refuseNonTensors(
        isDim(dims) ? dims : (dims as Record<string, unknown> | undefined)?.[k],
        a,
        `${where}.${k}`,
      );
    return;
  }
  if (isDim(dims) && dims !== null)
    throw new Error(
      `vmap: got inDims ${dims} for ${where}, which is ${arg === null || arg === undefined ? String(arg) : `a ${typeof arg} (${String(arg)})`}, not a tensor; vmap maps over tensors only: give that input inDims null, or pass a tensor`,
    );
}

/** The batched leaves of `args` under `inDims`: their dims (null = not batched) and the common batch size. */
function resolveBatch(inDims: Dims, args: unknown[]) {
  if (Array.isArray(inDims) && inDims.length !== args.length)
    throw new Error(
      `vmap: inDims has ${inDims.length} entries but the function got ${args.length} argument(s)`,
    );
  const perArg = Array.isArray(inDims) ? inDims : args.map(() => inDims);
  perArg.forEach((d, i) => {
    refuseNonTensors(d, args[i], `argument ${i}`);
  });
  const [leaves, def] = flatten(args);
  const dims = broadcastPrefix(perArg, def, 'vmap: inDims', isDim).map((d, i) =>
    d === null
      ? null
      : normalizeAxis(`vmap: inDims for an argument of shape ${fmt(leaves[i]!.shape)}`, d, leaves[i]!.ndim),
  );
  const sizes = new Set(leaves.flatMap((x, i) => (dims[i] === null ? [] : [x.shape[dims[i]!]!])));
  if (sizes.size === 0)
    throw new Error(
      `vmap: no argument is batched (inDims ${JSON.stringify(inDims)} over arguments ${describe(def)})`,
    );
  if (sizes.size > 1)
    throw new Error(
      `vmap: batched arguments disagree on the batch size: ${leaves
        .flatMap((x, i) => (dims[i] === null ? [] : [`${fmt(x.shape)} at dim ${dims[i]}`]))
        .join(', ')}`,
    );
  return { leaves, def, dims, size: [...sizes][0]! };
}

/** vmap's options, kept on the function it returns so a compiler can split its batch (see batchSplit). */
const VMAPPED = Symbol('vmap');
interface Vmapped {
  readonly [VMAPPED]: {
    readonly inDims: Dims;
    readonly outDims: Dims;
    readonly f: (...args: any[]) => unknown;
  };
}

/** How to run a vmapped function on sub-batches and reassemble the whole result. */
export interface BatchSplit {
  readonly size: number;
  /** The batch dim of each flattened argument leaf (null: shared by every case). */
  readonly inDims: readonly (number | null)[];
  /** The batch dim of each leaf of an output tree shaped `outDef` (null: the same for every case). */
  outDims(outDef: TreeDef): (number | null)[];
  /** The arguments restricted to cases [lo, hi). */
  slice(lo: number, hi: number): unknown[];
  /** The outputs of consecutive sub-batches, joined along each output's batch dim. */
  join(parts: readonly unknown[]): unknown;
  /**
   * Where every batched argument is batched along its first axis and every output leads with its batch axis
   * (vmap's defaults): the function vmap maps and the arguments of one case (batched ones without their batch
   * axis, shared ones whole). Case b's outputs are then row b of the batch's, so a compiler may stage the
   * function of one case instead of the batched function of a batch of one. Null for other layouts.
   */
  readonly perCase: {
    readonly f: (...args: any[]) => unknown;
    args(b: number): unknown[];
  } | null;
}

/**
 * For a function made by `vmap`, called on `args`: how to split its batch (cases are independent, so
 * f(args) = join(f(slice(0, k)), f(slice(k, n)), ...)). Null for any other function.
 */
export function batchSplit(f: unknown, args: unknown[]): BatchSplit | null {
  const tag = (f as Partial<Vmapped> | null)?.[VMAPPED];
  if (!tag) return null;
  const { leaves, def, dims, size } = resolveBatch(tag.inDims, args);
  const leading = tag.outDims === 0 && dims.every((d) => d === null || d === 0);
  return {
    size,
    perCase: leading
      ? {
          f: tag.f,
          args: (b) =>
            unflatten(
              def,
              leaves.map((x, i) => (dims[i] === null ? x : squeeze(sliceAxis(x, 0, b, b + 1), 0))),
            ) as unknown[],
        }
      : null,
    inDims: dims,
    outDims: (outDef) => broadcastPrefix(tag.outDims, outDef, 'vmap: outDims', isDim),
    slice: (lo, hi) =>
      unflatten(
        def,
        leaves.map((x, i) => (dims[i] === null ? x : sliceAxis(x, dims[i]!, lo, hi))),
      ) as unknown[],
    join: (parts) => {
      const flat = parts.map((p) => flatten(p));
      const [first, outDef] = flat[0]!;
      const od = broadcastPrefix(tag.outDims, outDef, 'vmap: outDims', isDim);
      return unflatten(
        outDef,
        first.map((leaf, k) => {
          const d = od[k];
          if (d === null || d === undefined) return leaf;
          return cat(
            flat.map(([ls]) => ls[k]!),
            normalizeAxis('vmap: outDims', d, leaf.ndim),
          );
        }),
      );
    },
  };
}

/**
 * torch.func.vmap: f mapped over a batch axis of its inputs, run as one batched computation.
 * @typeParam F - the function's type, kept for the batched function
 */
export function vmap<F extends (...args: any[]) => any>(f: F, opts: VmapOptions = {}): F {
  const { inDims = 0, outDims = 0, chunkSize } = opts;
  if (chunkSize !== undefined && (!Number.isInteger(chunkSize) || chunkSize < 1))
    throw new Error(`vmap: chunkSize must be a positive integer, got ${chunkSize}`);
  const batched = (...args: unknown[]) => {
    const { leaves, def, dims, size } = resolveBatch(inDims, args);
    let outDef: ReturnType<typeof flatten>[1] | undefined;
    // Outputs that do not depend on the batch, as the function returned them (for outDims null).
    let unbatched: (Tensor | null)[] = [];
    const run = (ls: Tensor[], n: number): Tensor[] => {
      const [outs, od] = vmapFlat(
        (xs) => {
          const [o, d] = flatten(f(...unflatten(def, xs)));
          outDef = d;
          return o;
        },
        ls,
        dims,
        n,
      );
      unbatched = outs.map((o, i) => (od[i] === null ? o : null));
      return outs.map((o, i) => materialize(o, od[i]!, n));
    };
    let outs: Tensor[];
    if (chunkSize === undefined || chunkSize >= size) outs = run(leaves, size);
    else {
      const parts: Tensor[][] = [];
      for (let s = 0; s < size; s += chunkSize) {
        const n = Math.min(chunkSize, size - s);
        parts.push(
          run(
            leaves.map((x, i) => (dims[i] === null ? x : sliceAxis(x, dims[i]!, s, s + n))),
            n,
          ),
        );
      }
      outs = parts[0]!.map((_, k) =>
        cat(
          parts.map((p) => p[k]!),
          0,
        ),
      );
    }
    const od = broadcastPrefix(outDims, outDef!, 'vmap: outDims', isDim);
    return unflatten(
      outDef!,
      outs.map((o, i) => {
        const d = od[i];
        if (d === null) {
          const u = unbatched[i];
          if (!u)
            throw new Error(
              `vmap: outDims null is only allowed for outputs that are not batched (output ${i} is)`,
            );
          return u;
        }
        return movedim(o, 0, normalizeAxis('vmap: outDims', d!, o.ndim));
      }),
    );
  };
  Object.defineProperty(batched, VMAPPED, { value: { inDims, outDims, f } });
  return batched as unknown as F;
}
