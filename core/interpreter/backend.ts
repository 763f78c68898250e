/** The one interface a backend implements: run a first-order primitive on concrete tensors. */
import type { ConcreteTensor } from '../tensor/tensor';
import type { Primitive } from './primitive';

export interface Backend {
  readonly name: string;
  execute(prim: Primitive<any>, inputs: ConcreteTensor[], params: any): ConcreteTensor[];
}
