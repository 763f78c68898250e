/** The staged intermediate representation: a flat list of primitive applications over typed variables. */

import type { Primitive } from '../interpreter/primitive';
import { bind } from '../interpreter/trace';
import type { Aval, Tensor } from '../tensor/tensor';

let nextVarId = 0;

/** A variable of a staged program, with its shape and dtype. */
export class Var {
  readonly id = nextVarId++;
  constructor(readonly aval: Aval) {}
}

/** One equation of a jaxpr: a primitive applied to variables. */
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

const DTYPE_SHORT: Record<string, string> = { float64: 'f64', float32: 'f32', int32: 'i32', bool: 'bool' };

/** a, b, …, z, ba, bb, … (the names of one print). */
function nameOf(n: number): string {
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

/**
 * The jaxpr as text, Autodidax-style: variables named a, b, c, … in order of appearance within this print,
 * parameters in brackets, and each scan's body printed under it.
 */
export function printJaxpr(jaxpr: Jaxpr): string {
  const names = new Map<Var, string>();
  const name = (x: Var) => {
    let n = names.get(x);
    if (n === undefined) {
      n = nameOf(names.size);
      names.set(x, n);
    }
    return n;
  };
  const typed = (x: Var) =>
    `${name(x)}:${DTYPE_SHORT[x.aval.dtype] ?? x.aval.dtype}[${x.aval.shape.join(',')}]`;
  const block = (j: Jaxpr, indent: string): string[] => {
    const lines = [`${indent}{ lambda ${j.inVars.map(typed).join(', ')} .`];
    j.eqns.forEach((e, k) => {
      const params = Object.entries(e.params ?? {})
        .filter(([, val]) => typeof val !== 'object' || Array.isArray(val))
        .map(([key, val]) => `${key}=${Array.isArray(val) ? `[${val.join(',')}]` : String(val)}`)
        .join(' ');
      const lhs = e.outputs.map(typed).join(', ');
      const rhs = `${e.prim.name}${params ? `[${params}]` : ''} ${e.inputs.map(name).join(' ')}`;
      lines.push(`${indent}  ${k === 0 ? 'let ' : '    '}${lhs} = ${rhs.trimEnd()}`);
      const body = (e.params as { jaxpr?: Jaxpr } | undefined)?.jaxpr;
      if (body) lines.push(...block(body, `${indent}        `));
    });
    lines.push(`${indent}  in ( ${j.outVars.map(name).join(', ')} ) }`);
    return lines;
  };
  return block(jaxpr, '').join('\n');
}
