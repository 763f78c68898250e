/**
 * Dead-code elimination on a jaxpr, scans included: an equation none of whose outputs is needed goes, and a
 * scan keeps only the per-step outputs that are read and the carries they (transitively) depend on, its body
 * pruned the same way. Derivatives need this most: the rows of a Jacobian read the final record of a solve,
 * while the staged solve still records every step.
 */
import { P, type ScanParams } from '../interpreter/primitives';
import type { Eqn, Jaxpr, Var } from './jaxpr';

/** The jaxpr computing only the outputs marked live (all by default); its inputs stay as they are. */
export function pruneJaxpr(jaxpr: Jaxpr, live: readonly boolean[] = jaxpr.outVars.map(() => true)): Jaxpr {
  return pruneWithInputs(jaxpr, live).jaxpr;
}

/** The pruned jaxpr and which of its inputs it still reads. */
function pruneWithInputs(jaxpr: Jaxpr, live: readonly boolean[]): { jaxpr: Jaxpr; used: boolean[] } {
  const needed = new Set<Var>(jaxpr.outVars.filter((_, i) => live[i]));
  const kept: Eqn[] = [];
  for (let k = jaxpr.eqns.length - 1; k >= 0; k--) {
    const e = jaxpr.eqns[k]!;
    if (!e.outputs.some((o) => needed.has(o))) continue;
    const eqn = e.prim === P.scan ? pruneScan(e, needed) : e;
    for (const x of eqn.inputs) needed.add(x);
    kept.push(eqn);
  }
  kept.reverse();
  return {
    jaxpr: { inVars: jaxpr.inVars, eqns: kept, outVars: jaxpr.outVars },
    used: jaxpr.inVars.map((v) => needed.has(v)),
  };
}

/** A scan with only the outputs in `needed` (and the carries they depend on); unread operands dropped. */
function pruneScan(e: Eqn, needed: ReadonlySet<Var>): Eqn {
  const p = e.params as ScanParams;
  const { jaxpr, numConsts: nC, numCarry: nK } = p;
  const nX = jaxpr.inVars.length - nC - nK;
  const nY = jaxpr.outVars.length - nK;
  const carries = new Set<number>();
  for (let k = 0; k < nK; k++) if (needed.has(e.outputs[k]!)) carries.add(k);
  const ys = Array.from({ length: nY }, (_, j) => needed.has(e.outputs[nK + j]!));
  // a carry read by the body is needed in the previous step: grow the set to a fixed point
  let body: { jaxpr: Jaxpr; used: boolean[] };
  for (;;) {
    const liveOut = [...Array.from({ length: nK }, (_, k) => carries.has(k)), ...ys];
    body = pruneWithInputs(jaxpr, liveOut);
    const before = carries.size;
    for (let k = 0; k < nK; k++) if (body.used[nC + k]) carries.add(k);
    if (carries.size === before) break;
  }
  const keepC = Array.from({ length: nC }, (_, i) => body.used[i]!);
  const keepK = Array.from({ length: nK }, (_, k) => carries.has(k));
  const keepX = Array.from({ length: nX }, (_, i) => body.used[nC + nK + i]!);
  const pick = <T>(xs: readonly T[], keep: readonly boolean[]) => xs.filter((_, i) => keep[i]);
  const inKeep = [...keepC, ...keepK, ...keepX];
  const outKeep = [...keepK, ...ys];
  const inner: Jaxpr = {
    inVars: pick(jaxpr.inVars, inKeep),
    eqns: body.jaxpr.eqns,
    outVars: pick(jaxpr.outVars, outKeep),
  };
  return {
    prim: e.prim,
    params: {
      ...p,
      jaxpr: inner,
      numConsts: keepC.filter(Boolean).length,
      numCarry: keepK.filter(Boolean).length,
    },
    inputs: pick(e.inputs, inKeep),
    outputs: pick(e.outputs, outKeep),
  };
}
