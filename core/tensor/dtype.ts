/** Element types. float64 is the CPU reference; float32 is what compiled GPU kernels run in. */
export type DType = 'float64' | 'float32' | 'int32' | 'bool';
export const DTYPES: readonly DType[] = ['float64', 'float32', 'int32', 'bool'];

/** The typed array that holds each dtype (bool as Uint8Array). */
export type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array;

export function allocate(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float64':
      return new Float64Array(length);
    case 'float32':
      return new Float32Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'bool':
      return new Uint8Array(length);
  }
}

export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

export const isFloat = (d: DType): boolean => d === 'float64' || d === 'float32';

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** PyTorch-style promotion between two tensor operands. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}
