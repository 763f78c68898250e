/**
 * Scan inputs that always hold the same value, merged into one: constants or per-step inputs read from one
 * outer variable, and carries that start from one variable and that the body keeps equal. Nested forward mode
 * makes such carries: under jacfwd(jacfwd(f)) the outer tangent of the primal is the inner tangent again, so a
 * solve's θ-hessian would step that tangent state twice. Per-step outputs that are one variable are stacked once.
 *
 * Carry equality is the largest fixpoint, as global value numbering treats a loop's φ-nodes: assume every group
 * of carries with one start equal, simplify the body under that assumption, split the groups whose next values
 * differ, and repeat until no group splits. What is left is sound by induction over the steps.
 */
import { P, type ScanParams } from '../interpreter/primitives';
import { cseJaxpr } from './cse';
import type { Eqn, Jaxpr, Var } from './jaxpr';

/** The jaxpr with every scan's repeated inputs merged, nested scans first. */
export function dedupeScans(jaxpr: Jaxpr): Jaxpr {
  const alias = new Map<Var, Var>();
  const read = (v: Var) => alias.get(v) ?? v;
  const eqns = jaxpr.eqns.map((e): Eqn => {
    const eqn = { ...e, inputs: e.inputs.map(read) };
    if (e.prim !== P.scan) return eqn;
    const { merged, outputOf } = dedupeScan(eqn);
    e.outputs.forEach((o, i) => {
      const to = merged.outputs[outputOf[i]!]!;
      if (to !== o) alias.set(o, to);
    });
    return merged;
  });
  return { inVars: jaxpr.inVars, eqns, outVars: jaxpr.outVars.map(read) };
}

/** Bodies simplified without renaming, so that scans with one body keep one body object (CSE compares those). */
const plain = new WeakMap<Jaxpr, Jaxpr>();

/** A body simplified after renaming: CSE, then merges in nested scans that the renaming made possible. */
function simplify(body: Jaxpr, rename: ReadonlyMap<Var, Var>): Jaxpr {
  const hit = rename.size === 0 ? plain.get(body) : undefined;
  if (hit) return hit;
  const out = cseJaxpr(dedupeScans(cseJaxpr(renamed(body, rename))));
  if (rename.size === 0) plain.set(body, out);
  return out;
}

function renamed(j: Jaxpr, rename: ReadonlyMap<Var, Var>): Jaxpr {
  if (rename.size === 0) return j;
  const read = (v: Var) => rename.get(v) ?? v;
  return {
    inVars: j.inVars,
    eqns: j.eqns.map((e) => ({ ...e, inputs: e.inputs.map(read) })),
    outVars: j.outVars.map(read),
  };
}

/** rep[i] for each i in [lo, hi): the first index whose key equals i's key. */
function firstByKey(rep: number[], lo: number, hi: number, key: (i: number) => unknown): void {
  const first = new Map<unknown, number>();
  for (let i = lo; i < hi; i++) {
    const k = key(i);
    const f = first.get(k);
    if (f === undefined) first.set(k, i);
    rep[i] = f ?? i;
  }
}

/**
 * One scan with its repeated inputs and per-step outputs merged; `outputOf[i]` is the merged scan's output that
 * holds the original output i.
 */
function dedupeScan(e: Eqn): { merged: Eqn; outputOf: number[] } {
  const params = e.params as ScanParams;
  const { numConsts: nC, numCarry: nK } = params;
  const body = params.jaxpr;
  const n = body.inVars.length;
  const rep = body.inVars.map((_, i) => i);
  firstByKey(rep, 0, nC, (i) => e.inputs[i]);
  firstByKey(rep, nC + nK, n, (i) => e.inputs[i]);
  firstByKey(rep, nC, nC + nK, (i) => e.inputs[i]);
  let simplified: Jaxpr;
  for (;;) {
    const rename = new Map<Var, Var>();
    rep.forEach((r, i) => {
      if (r !== i) rename.set(body.inVars[i]!, body.inVars[r]!);
    });
    simplified = simplify(body, rename);
    const next = [...rep];
    firstByKey(next, nC, nC + nK, (i) => `${rep[i]}|${simplified.outVars[i - nC]!.id}`);
    if (next.every((r, i) => r === rep[i])) break;
    rep.splice(0, n, ...next);
  }
  const keptIn = rep.flatMap((r, i) => (r === i ? [i] : []));
  // per-step outputs: one stacked array per variable
  const yRep = simplified.outVars.map((_, i) => i);
  firstByKey(yRep, nK, simplified.outVars.length, (i) => simplified.outVars[i]);
  const keptCarry = keptIn.filter((i) => i >= nC && i < nC + nK).map((i) => i - nC);
  const keptYs = yRep.flatMap((r, i) => (i >= nK && r === i ? [i] : []));
  const keptOut = [...keptCarry, ...keptYs];
  const position = new Map(keptOut.map((o, k) => [o, k]));
  const outputOf = e.outputs.map((_, i) => position.get(i < nK ? rep[nC + i]! - nC : yRep[i]!)!);
  const merged: Eqn = {
    prim: e.prim,
    params: {
      ...params,
      jaxpr:
        keptIn.length === n && keptOut.length === simplified.outVars.length
          ? simplified
          : {
              inVars: keptIn.map((i) => simplified.inVars[i]!),
              eqns: simplified.eqns,
              outVars: keptOut.map((o) => simplified.outVars[o]!),
            },
      numConsts: keptIn.filter((i) => i < nC).length,
      numCarry: keptCarry.length,
    },
    inputs: keptIn.map((i) => e.inputs[i]!),
    outputs: keptOut.map((o) => e.outputs[o]!),
  };
  return { merged, outputOf };
}
