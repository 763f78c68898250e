/**
 * The value type every op takes and returns. A Tensor is either concrete (data in a typed array) or a
 * Tracer standing for a value inside a transform. Methods are attached in ops/methods.ts.
 */
import type { DType, TypedArray } from './dtype';
import { type Shape, sizeOf, stridesOf } from './shape';

/** Abstract value: what a staged computation knows about a tensor. */
export interface Aval {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Nested JS arrays of numbers or booleans (what {@link tensor} reads and `toArray()` writes). */
export type NestedArray = number | boolean | NestedArray[];

/** An n-dimensional array: concrete, or traced inside a transform. Tensors are immutable; every op returns a new one. */
export abstract class Tensor implements Aval {
  abstract readonly shape: Shape;
  abstract readonly dtype: DType;

  /** The number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The number of entries. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** The concrete value, or a clear error when called on a traced value inside a transform. */
  abstract concrete(reading: string): ConcreteTensor;

  /** A copy of the values, flat in C order. */
  toTypedArray(): TypedArray {
    return this.concrete('toTypedArray()').data.slice();
  }

  /** The values as nested JS arrays (booleans for bool tensors). */
  toArray(): NestedArray {
    const { data, shape, dtype } = this.concrete('toArray()');
    const conv = dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    const strides = stridesOf(shape);
    const build = (dim: number, offset: number): NestedArray =>
      dim === shape.length
        ? conv(data[offset]!)
        : Array.from({ length: shape[dim]! }, (_, i) => build(dim + 1, offset + i * strides[dim]!));
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    const c = this.concrete('item()');
    if (c.data.length !== 1)
      throw new Error(`item(): tensor of shape [${c.shape}] has ${c.data.length} elements, not 1`);
    return c.data[0]!;
  }

  /** The shape and dtype (a concrete tensor adds its values). */
  toString(): string {
    return `Tensor(shape=[${this.shape}], dtype=${this.dtype})`;
  }
}

/** A tensor with its values in a typed array (C order). */
export class ConcreteTensor extends Tensor {
  constructor(
    readonly data: TypedArray,
    readonly shape: Shape,
    readonly dtype: DType,
  ) {
    super();
  }

  concrete(): ConcreteTensor {
    return this;
  }

  override toString(): string {
    return `tensor(${JSON.stringify(this.toArray())}, dtype=${this.dtype})`;
  }
}
