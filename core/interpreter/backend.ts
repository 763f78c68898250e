/** The one interface a backend implements: run a first-order primitive on concrete tensors. */
import type { ConcreteTensor } from '../tensor/tensor';
import type { Primitive } from './primitive';

/** What evaluates primitives on concrete tensors (core's float64 CPU backend by default). */
export interface Backend {
  readonly name: string;
  /** The outputs of `prim` applied to concrete `inputs` with `params`. */
  execute(prim: Primitive<any>, inputs: ConcreteTensor[], params: any): ConcreteTensor[];
}
