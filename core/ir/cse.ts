/**
 * Common-subexpression elimination on a jaxpr: an equation with the same primitive, parameters and inputs as an
 * earlier one is dropped and its outputs read the earlier outputs. Transforms stage the same value more than
 * once (jvp and vjp rules both recompute σ·dt, a pullback replays the primal), and each copy would otherwise
 * become a kernel of its own. Scan bodies are simplified the same way, each on its own.
 */
import { P, type ScanParams } from '../interpreter/primitives';
import type { ConcreteTensor } from '../tensor/tensor';
import type { Eqn, Jaxpr, Var } from './jaxpr';

/** Constants compared by value up to this many elements. */
const CONST_KEY_MAX = 4096;

const bodyIds = new WeakMap<Jaxpr, number>();
let nextBody = 0;

/** Parameters as a key; a nested jaxpr (already simplified) by identity. */
function paramsKey(params: unknown): string {
  return JSON.stringify(params ?? {}, (_, v) => {
    if (v && typeof v === 'object' && 'eqns' in v && 'inVars' in v) {
      let id = bodyIds.get(v as Jaxpr);
      if (id === undefined) {
        id = nextBody++;
        bodyIds.set(v as Jaxpr, id);
      }
      return `jaxpr#${id}`;
    }
    return v;
  });
}

/**
 * The jaxpr with repeated equations merged. `consts` (the values of its leading inputs, as a staged program
 * has them) lets equal constants count as one input: transforms stage the same literal more than once.
 */
export function cseJaxpr(jaxpr: Jaxpr, consts: readonly ConcreteTensor[] = []): Jaxpr {
  const alias = new Map<Var, Var>();
  const byValue = new Map<string, Var>();
  consts.forEach((c, i) => {
    if (c.data.length > CONST_KEY_MAX) return;
    const key = `${c.dtype}[${c.shape.join(',')}]${Array.from(c.data).join(',')}`;
    const first = byValue.get(key);
    if (first) alias.set(jaxpr.inVars[i]!, first);
    else byValue.set(key, jaxpr.inVars[i]!);
  });
  const read = (v: Var) => alias.get(v) ?? v;
  const seen = new Map<string, Eqn>();
  const eqns: Eqn[] = [];
  for (const e of jaxpr.eqns) {
    const inputs = e.inputs.map(read);
    const params =
      e.prim === P.scan
        ? { ...(e.params as ScanParams), jaxpr: cseJaxpr((e.params as ScanParams).jaxpr) }
        : e.params;
    const key = `${e.prim.name}|${paramsKey(params)}|${inputs.map((v) => v.id).join(',')}`;
    const hit = seen.get(key);
    if (hit) {
      e.outputs.forEach((o, i) => {
        alias.set(o, hit.outputs[i]!);
      });
      continue;
    }
    const eqn: Eqn = { prim: e.prim, params, inputs, outputs: e.outputs };
    seen.set(key, eqn);
    eqns.push(eqn);
  }
  return { inVars: jaxpr.inVars, eqns, outVars: jaxpr.outVars.map(read) };
}
