/**
 * Sibling kernels: materialised values of one shape and dtype that do not read one another and share an
 * input, computed in one loop nest with an output each. A backward step reduces one adjoint array several ways
 * (a gradient per input, each its own pass over the array); as siblings, each element is loaded once for all.
 */
import { P } from '../../interpreter/primitives';
import type { Jaxpr, Var } from '../../ir/jaxpr';
import type { Analysis } from '../fuse';

/** Outputs per kernel at most: more rows in one unrolled vector loop would spill SIMD registers. */
const MAX_SIBLINGS = 3;
/** Reductions over a kernel's rows computed in its loop, at most. */
const MAX_ROW_SUMS = 3;

/** The shape without its row axis (the second-to-last, which the loop emitter unrolls). */
const withoutRows = (shape: readonly number[]) => shape.filter((_, d) => d !== shape.length - 2);

/**
 * Every kernel of the block with its siblings, in program order: the group computes where its first value
 * was computed, so a value joins a group only when every array it reads exists by then. Values in `apart`
 * (computed without a kernel when they can be) stay alone.
 *
 * A value of the group's shape without its row axis that reads the group's first value joins it too (at most
 * MAX_ROW_SUMS): a reduction over the rows, computed from the rows the loop has just computed instead of in a
 * pass of its own that loads them again.
 */
export function siblingGroups(jaxpr: Jaxpr, an: Analysis, apart: ReadonlySet<Var>): Map<Var, readonly Var[]> {
  /** Where each value exists: the eqn that computes it, or its group's first; inputs before everything. */
  const at = new Map<Var, number>(jaxpr.inVars.map((v) => [v, -1]));
  const readsMemo = new Map<Var, ReadonlySet<Var>>();
  /** The arrays a kernel of `v` reads: inputs, scan results and materialised values, through inlined values. */
  const reads = (v: Var): ReadonlySet<Var> => {
    let r = readsMemo.get(v);
    if (r) return r;
    const out = new Set<Var>();
    for (const x of an.producer.get(v)!.inputs) {
      if (an.lits.has(x)) continue;
      const p = an.producer.get(x);
      if (!p || p.prim === P.scan || an.materialize.has(x)) out.add(x);
      else for (const y of reads(x)) out.add(y);
    }
    r = out;
    readsMemo.set(v, r);
    return r;
  };
  const groups: {
    at: number;
    key: string;
    sumKey: string | null;
    members: Var[];
    sums: number;
    reads: Set<Var>;
  }[] = [];
  const groupOf = new Map<Var, readonly Var[]>();
  jaxpr.eqns.forEach((e, q) => {
    for (const o of e.outputs) at.set(o, q);
    if (e.prim === P.scan || e.outputs.every((o) => an.lits.has(o))) return;
    const v = e.outputs[0]!;
    if (!an.materialize.has(v) || apart.has(v)) return;
    const key = `${v.aval.dtype}[${v.aval.shape.join(',')}]`;
    const rs = [...reads(v)];
    const fits = (g: (typeof groups)[number]) =>
      g.key === key &&
      g.members.length - g.sums < MAX_SIBLINGS &&
      rs.some((x) => g.reads.has(x)) &&
      rs.every((x) => !g.members.includes(x) && at.get(x)! < g.at);
    // a reduction over the rows of the group's first value reads that value inline, its other arrays in memory
    const sums = (g: (typeof groups)[number]) =>
      g.sumKey === key &&
      g.sums < MAX_ROW_SUMS &&
      rs.includes(g.members[0]!) &&
      rs.every((x) => x === g.members[0] || (!g.members.includes(x) && at.get(x)! < g.at));
    const g = groups.find(fits) ?? groups.find(sums);
    if (g) {
      g.members.push(v);
      for (const x of rs) g.reads.add(x);
      // a row sum may yet be left out of its group's kernel (rowsUnrollWhole): others count on it only where it stands
      if (g.key === key) at.set(v, g.at);
      else g.sums++;
      groupOf.set(v, g.members);
      return;
    }
    const members = [v];
    const { shape, dtype } = v.aval;
    const sumKey = shape.length >= 2 ? `${dtype}[${withoutRows(shape).join(',')}]` : null;
    groups.push({ at: q, key, sumKey, members, sums: 0, reads: new Set(rs) });
    groupOf.set(v, members);
  });
  return groupOf;
}
