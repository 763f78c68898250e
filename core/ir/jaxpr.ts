/** The staged intermediate representation: a flat list of primitive applications over typed variables. */

import type { Primitive } from '../interpreter/primitive';
import { bind } from '../interpreter/trace';
import type { Aval, Tensor } from '../tensor/tensor';

let nextVarId = 0;

export class Var {
  readonly id = nextVarId++;
  constructor(readonly aval: Aval) {}
}

export interface Eqn {
  readonly prim: Primitive<any>;
  readonly params: any;
  readonly inputs: readonly Var[];
  readonly outputs: readonly Var[];
}

/** inVars lists the closed-over constants first, then the arguments. */
export interface Jaxpr {
  readonly inVars: readonly Var[];
  readonly eqns: readonly Eqn[];
  readonly outVars: readonly Var[];
}

/** A jaxpr with the values of its leading constant inputs. */
export interface ClosedJaxpr {
  readonly jaxpr: Jaxpr;
  readonly consts: readonly Tensor[];
}

/** Evaluate by binding each equation again: under a transform this is how a staged body is transformed. */
export function evalJaxpr(jaxpr: Jaxpr, args: readonly Tensor[]): Tensor[] {
  if (args.length !== jaxpr.inVars.length)
    throw new Error(`evalJaxpr: expected ${jaxpr.inVars.length} inputs, got ${args.length}`);
  const env = new Map<Var, Tensor>();
  jaxpr.inVars.forEach((v, i) => {
    env.set(v, args[i]!);
  });
  const read = (v: Var): Tensor => {
    const x = env.get(v);
    if (x === undefined) throw new Error(`evalJaxpr: variable %${v.id} read before it was written`);
    return x;
  };
  for (const eqn of jaxpr.eqns) {
    const outs = bind(eqn.prim, eqn.inputs.map(read), eqn.params);
    eqn.outputs.forEach((v, i) => {
      env.set(v, outs[i]!);
    });
  }
  return jaxpr.outVars.map(read);
}

export function printJaxpr(jaxpr: Jaxpr): string {
  const v = (x: Var) => `%${x.id}:${x.aval.dtype}[${x.aval.shape}]`;
  const lines = [`{ lambda ${jaxpr.inVars.map(v).join(', ')} .`];
  for (const e of jaxpr.eqns) {
    const p = Object.entries(e.params ?? {})
      .filter(([, val]) => typeof val !== 'object' || Array.isArray(val))
      .map(([k, val]) => `${k}=${JSON.stringify(val)}`)
      .join(' ');
    lines.push(
      `  ${e.outputs.map(v).join(', ')} = ${e.prim.name}${p ? `[${p}]` : ''} ${e.inputs.map((x) => `%${x.id}`).join(' ')}`,
    );
  }
  lines.push(`  in (${jaxpr.outVars.map((x) => `%${x.id}`).join(', ')}) }`);
  return lines.join('\n');
}
