/** A primitive is declared once: a name and its shape/dtype rule. Each transform keys its rules by name. */
import type { Aval, ConcreteTensor } from '../tensor/tensor';

/** A primitive operation: a name and its shape/dtype rule (the vocabulary of staged programs). */
export interface Primitive<P = unknown> {
  readonly name: string;
  /** Output avals from input avals; throws a message naming the op and the shapes when they do not fit. */
  readonly abstractEval: (avals: readonly Aval[], params: P) => Aval[];
  /** Evaluation for higher-order primitives (scan), which run by calling bind again; others go to the backend. */
  readonly impl?: (args: ConcreteTensor[], params: P) => ConcreteTensor[];
}

export function definePrimitive<P>(
  name: string,
  abstractEval: (avals: readonly Aval[], params: P) => Aval[],
  impl?: (args: ConcreteTensor[], params: P) => ConcreteTensor[],
): Primitive<P> {
  return impl ? { name, abstractEval, impl } : { name, abstractEval };
}
