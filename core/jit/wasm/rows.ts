/**
 * What a kernel's rows allow, decided before any code is written: whether an expression has a SIMD form, and the
 * body of ONE vector loop computing every row of a short outer dimension (the second-to-last axis, ≤ 8 rows: a
 * direction of the intensities) with the reductions over those rows — and so which loop pieces may compute all
 * rows together. loops.ts writes what this plans.
 */
import type { Affine, Range } from '../affine';
import { BYTES, type Node, nodesBelow, type Ty } from './expr';
import type { Kernel } from './kernel';

/** Rows of an outer dimension unrolled inside the vector loop: at most this many, */
export const UNROLL_ROWS = 8;
/** and at most this many expression nodes in the unrolled body. */
export const UNROLL_NODES = 512;

/** An output of the kernel being written: its expression, and j (its buffer is −1 − j). */
export interface Out {
  readonly root: Node;
  readonly j: number;
}

/** One output row of an unrolled loop's body: its expression, its buffer (−1 − j), its element's index. */
export interface BodyRow {
  readonly root: Node;
  readonly buf: number;
  readonly out: Affine;
}

/** The nodes below any of `roots`, each once, operands first. */
export function nodesUnder(roots: readonly Node[]): Node[] {
  if (roots.length === 1) return nodesBelow(roots[0]!);
  return [...new Set(roots.flatMap((r) => nodesBelow(r)))];
}

/** Row-major flat index of output j's element at the loop atoms (a rowless output skips the row axis). */
export function outIndex(k: Kernel, j: number): Affine {
  const { loopAtoms, shape, rowless } = k;
  const skip = rowless[j] ? shape.length - 2 : -1;
  let stride = 1;
  const t: [string, number][] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    if (d === skip) continue;
    if (shape[d]! > 1) t.push([loopAtoms[d]!, stride]);
    stride *= shape[d]!;
  }
  return { c: 0, t: t.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/** Element `at` (flat) of kernel argument `buf` when that argument is a literal array. */
function literalAt(k: Kernel, buf: number, at: number): number | undefined {
  const arg = k.args[buf];
  if (arg?.k !== 'lit') return undefined;
  return arg.lit.splat ?? arg.lit.data[at];
}

/** Whether every node below `root` that varies along `atom` has a SIMD form at element type `ty`. */
export function vectorizable(k: Kernel, root: Node, atom: string, ty: Ty): boolean {
  if (ty === 'i32') return false;
  const derivedVary = [...k.graph.derived.keys()].filter((d) =>
    k.graph.atomsOf({ c: 0, t: [[d, 1]] }).has(atom),
  );
  for (const n of nodesBelow(root)) {
    if (!n.atoms.has(atom)) continue;
    switch (n.op) {
      case 'load':
        if (n.ty !== ty || n.index.t.some(([a]) => derivedVary.includes(a))) return false;
        break;
      case 'gather':
      case 'idx':
        return false;
      case 'un':
      case 'bin':
      case 'reduce':
        if (n.ty !== ty) return false;
        break;
      case 'cmp':
        if (n.a.ty !== ty) return false;
        break;
      case 'select':
        if (n.ty !== ty || (n.c.atoms.has(atom) && n.c.op !== 'cmp')) return false;
        break;
      case 'cast':
        if (n.ty !== ty || n.x.op !== 'cmp') return false;
        break;
      case 'cond':
        if (n.ty !== ty || k.graph.atomsOf(n.e).has(atom)) return false;
        break;
      case 'const':
        break;
    }
  }
  return true;
}

/**
 * The vector loop's body of unrolledRows — every row of `rows` with the row atom fixed (a condition over the
 * rows, as a concat of row blocks makes, decided per row), then the sums — or null where the rows cannot be
 * unrolled in ranges `ranges`. Writes nothing.
 */
export function unrolledBody(
  k: Kernel,
  rows: readonly Out[],
  sums: readonly Out[],
  d: number,
  ranges: readonly Range[],
): BodyRow[] | null {
  const { loopAtoms, ty, graph: g, shape } = k;
  const W = 16 / BYTES[ty];
  const atom = loopAtoms[d]!;
  const inner = loopAtoms[d + 1]!;
  const [lo, hi] = ranges[d]!;
  const range = ranges[d + 1]!;
  const len = range[1] - range[0] + 1;
  const n = hi - lo + 1;
  const size = nodesUnder(rows.map((o) => o.root)).length * n + nodesUnder(sums.map((o) => o.root)).length;
  if (n < 2 || n > UNROLL_ROWS || len < W || size > UNROLL_NODES) return null;
  if (sums.length && (lo !== 0 || hi !== shape[d]! - 1)) return null;
  // row by row, each row's outputs together: siblings' shared loads are used while still in registers
  const body: BodyRow[] = [];
  const rowStride = shape.slice(d + 1).reduce((p, x) => p * x, 1);
  for (let c = lo; c <= hi; c++)
    for (const o of rows) {
      const fixed = g.fix(o.root, atom, c);
      // a literal's element at the now constant row is a constant, as in the sums, which were built at each row
      const row = fixed && g.withConstants(fixed, (buf, at) => literalAt(k, buf, at));
      if (!row || !vectorizable(k, row, inner, ty)) return null;
      const rest = outIndex(k, o.j).t.filter(([a]) => a !== atom);
      body.push({ root: row, buf: -1 - o.j, out: { c: rowStride * c, t: rest } });
    }
  for (const o of sums) {
    if (!vectorizable(k, o.root, inner, ty)) return null;
    body.push({ root: o.root, buf: -1 - o.j, out: outIndex(k, o.j) });
  }
  return body;
}

/** Run `use` with the kernel's outputs specialised to the loop ranges `ranges` (the atoms' ranges set meanwhile). */
export function specialized<T>(k: Kernel, ranges: readonly Range[], use: (outs: Out[]) => T): T {
  const { graph: g, roots, loopAtoms } = k;
  const saved = loopAtoms.map((a) => g.ranges.get(a)!);
  const at = new Map(loopAtoms.map((a, d) => [a, ranges[d]!]));
  try {
    return use(roots.map((root, j) => ({ root: g.specialize(root, at), j })));
  } finally {
    loopAtoms.forEach((a, d) => {
      g.ranges.set(a, saved[d]!);
    });
  }
}

/**
 * The nests to write: `combos`, except that the pieces of the row axis (split where a concat of row blocks
 * changes its expression, as the upwind update's two halves of directions) become one where the rows unroll
 * over the same cells: each unrolled row decides its own conditions, and all rows share one vector loop.
 */
export function* rowsJoined(
  k: Kernel,
  combos: readonly Range[][],
  split: readonly Range[][],
): Generator<readonly Range[]> {
  const { loopAtoms, rowless } = k;
  const d = loopAtoms.length - 2;
  if (d < 0 || split[d]!.length === 1) {
    yield* combos;
    return;
  }
  const allRows: Range = [split[d]![0]![0], split[d]!.at(-1)![1]];
  const joinedAt = new Map<string, boolean>();
  for (const ranges of combos) {
    const key = ranges.map((r, e) => (e === d ? '' : r.join(':'))).join(',');
    const before = joinedAt.get(key);
    if (before === true) continue;
    if (before === false) {
      yield ranges;
      continue;
    }
    const joined = ranges.map((r, e) => (e === d ? allRows : r));
    const unrolls = specialized(k, joined, (outs) =>
      unrolledBody(
        k,
        outs.filter((o) => !rowless[o.j]),
        outs.filter((o) => rowless[o.j]),
        d,
        joined,
      ),
    );
    joinedAt.set(key, unrolls !== null);
    yield unrolls ? joined : ranges;
  }
}
