/** Argument handling shared by the function transforms: argnums, pytrees of tensors, clear errors. */
import { fmt, shapesEqual } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { splitBySizes } from '../util/arrays';
import { describe, flatten, type TreeDef, treeEqual, unflatten } from '../util/pytree';

/** Which positional arguments to differentiate: one index or several (negative from the end). */
export type Argnums = number | readonly number[];

export function normalizeArgnums(op: string, argnums: Argnums, nargs: number): number[] {
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  if (list.length === 0) throw new Error(`${op}: argnums must name at least one argument`);
  return list.map((a) => {
    if (!Number.isInteger(a) || a < -nargs || a >= nargs)
      throw new Error(`${op}: argnums ${JSON.stringify(argnums)} is out of range for ${nargs} argument(s)`);
    return a < 0 ? a + nargs : a;
  });
}

/** The differentiated arguments as one flat list, and a way to rebuild the full argument list from new leaves. */
export function splitArgs(args: readonly unknown[], argnums: readonly number[]) {
  const parts = argnums.map((i) => flatten(args[i]));
  const counts = parts.map(([leaves]) => leaves.length);
  const leaves = parts.flatMap(([l]) => l);
  const defs = parts.map(([, d]) => d);
  const rebuild = (flat: readonly Tensor[]): unknown[] => {
    const out = [...args];
    const groups = splitBySizes(flat, counts);
    argnums.forEach((a, j) => {
      out[a] = unflatten(defs[j]!, groups[j]!);
    });
    return out;
  };
  /** Group flat per-leaf values back into one tree per argnum. */
  const group = <V>(flat: readonly V[]): unknown[] => {
    const groups = splitBySizes(flat, counts);
    return defs.map((d, j) => unflatten(d, groups[j]!));
  };
  return { leaves, rebuild, group };
}

/** Check that a tangent/cotangent tree matches its primal tree leaf by leaf. */
export function matchTree(
  op: string,
  what: string,
  tree: unknown,
  def: TreeDef,
  like: readonly Tensor[],
): Tensor[] {
  const [leaves, d] = flatten(tree);
  if (!treeEqual(d, def))
    throw new Error(`${op}: ${what} has structure ${describe(d)}, expected ${describe(def)}`);
  leaves.forEach((t, i) => {
    const p = like[i]!;
    if (!shapesEqual(t.shape, p.shape))
      throw new Error(
        `${op}: ${what} ${i} has shape ${fmt(t.shape)} but its primal has shape ${fmt(p.shape)}`,
      );
  });
  return leaves;
}

/** Split `[out, aux]` when hasAux is set. */
export function splitAux(op: string, result: unknown, hasAux: boolean): [unknown, unknown] {
  if (!hasAux) return [result, undefined];
  if (!Array.isArray(result) || result.length !== 2)
    throw new Error(`${op}: with hasAux the function must return [output, aux]`);
  return [result[0], result[1]];
}
