/** Making concrete tensors: from JS data, filled, ranges, random (seeded). */
import { allocate, type DType, dtypeOf, isDType, type TypedArray } from '../tensor/dtype';
import { fmt, type Shape, sizeOf } from '../tensor/shape';
import { ConcreteTensor, type NestedArray, Tensor } from '../tensor/tensor';

/** The dtype of tensors made from JS numbers: float64, as the reference computations. */
export const DEFAULT_DTYPE: DType = 'float64';

/** The `dtype` option of the creation functions. */
export interface DTypeOption {
  dtype?: DType;
}

function checkDtype(op: string, dtype: unknown): DType {
  if (!isDType(dtype))
    throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)} (allowed: float64, float32, int32, bool)`);
  return dtype;
}

function checkShape(op: string, shape: Shape): Shape {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new Error(`${op}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  return shape;
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0]!;
  }
  return shape;
}

/** A tensor from nested arrays, a number, or a typed array with a shape. */
export function tensor(
  data: NestedArray | TypedArray,
  opts: DTypeOption & { shape?: Shape } = {},
): ConcreteTensor {
  if (ArrayBuffer.isView(data)) {
    const dtype = checkDtype('tensor', opts.dtype ?? dtypeOf(data));
    const shape = checkShape('tensor', opts.shape ?? [data.length]);
    if (sizeOf(shape) !== data.length)
      throw new Error(`tensor: ${data.length} values do not fill shape ${fmt(shape)}`);
    const out = allocate(dtype, data.length);
    out.set(data);
    return new ConcreteTensor(out, shape, dtype);
  }
  const shape = inferShape(data);
  const flat = (Array.isArray(data) ? (data as unknown[]).flat(Number.POSITIVE_INFINITY) : [data]) as (
    | number
    | boolean
  )[];
  if (flat.length !== sizeOf(shape))
    throw new Error(`tensor: nested arrays are ragged (expected shape ${fmt(shape)})`);
  const dtype = checkDtype(
    'tensor',
    opts.dtype ?? (flat.length && typeof flat[0] === 'boolean' ? 'bool' : DEFAULT_DTYPE),
  );
  const out = allocate(dtype, flat.length);
  flat.forEach((v, i) => {
    out[i] = Number(v);
  });
  return new ConcreteTensor(out, shape, dtype);
}

/** torch.full: a tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, opts: DTypeOption = {}): ConcreteTensor {
  const dtype = checkDtype('full', opts.dtype ?? DEFAULT_DTYPE);
  const data = allocate(dtype, sizeOf(checkShape('full', shape)));
  if (value !== 0) data.fill(value);
  return new ConcreteTensor(data, [...shape], dtype);
}

/** torch.zeros. */
export const zeros = (shape: Shape, opts: DTypeOption = {}) => full(shape, 0, opts);
/** torch.ones. */
export const ones = (shape: Shape, opts: DTypeOption = {}) => full(shape, 1, opts);
/** torch.full_like: x's shape (and dtype, unless given) filled with `value`. */
export const fullLike = (x: Tensor, value: number, opts: DTypeOption = {}) =>
  full(x.shape, value, { dtype: opts.dtype ?? x.dtype });
/** torch.zeros_like. */
export const zerosLike = (x: Tensor, opts: DTypeOption = {}) => fullLike(x, 0, opts);
/** torch.ones_like. */
export const onesLike = (x: Tensor, opts: DTypeOption = {}) => fullLike(x, 1, opts);

/** torch.eye: the n×n identity. */
export function eye(n: number, opts: DTypeOption = {}): ConcreteTensor {
  const out = zeros([n, n], opts);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}

/** torch.arange: values start + i·step for i < ceil((stop - start) / step). */
export function arange(start: number, stop?: number, step = 1, opts: DTypeOption = {}): ConcreteTensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step))
    throw new Error(`arange: step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const ints = [start, stop, step].every(Number.isInteger);
  const dtype = checkDtype('arange', opts.dtype ?? (ints ? 'int32' : DEFAULT_DTYPE));
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new ConcreteTensor(data, [n], dtype);
}

/** torch.linspace: `steps` evenly spaced values from start to stop, both included. */
export function linspace(start: number, stop: number, steps: number, opts: DTypeOption = {}): ConcreteTensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  const dtype = checkDtype('linspace', opts.dtype ?? DEFAULT_DTYPE);
  const data = allocate(dtype, steps);
  const h = steps > 1 ? (stop - start) / (steps - 1) : 0;
  // Fill from both ends, as torch does, so the last value is exactly `stop`.
  for (let i = 0; i < steps; i++) data[i] = i < steps / 2 ? start + i * h : stop - (steps - 1 - i) * h;
  return new ConcreteTensor(data, [steps], dtype);
}

/** A seeded generator (mulberry32): reproducible initialisation without global state. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [low, high) from a seeded generator (the same seed, the same values). */
export function rand(shape: Shape, opts: DTypeOption & { seed?: number; low?: number; high?: number } = {}) {
  const { seed = 0, low = 0, high = 1 } = opts;
  const next = rng(seed);
  const out = zeros(shape, opts);
  for (let i = 0; i < out.data.length; i++) out.data[i] = low + (high - low) * next();
  return out;
}

/** Standard normal values from a seeded generator (Box–Muller). */
export function randn(shape: Shape, opts: DTypeOption & { seed?: number } = {}) {
  const next = rng(opts.seed ?? 0);
  const out = zeros(shape, opts);
  for (let i = 0; i < out.data.length; i++) {
    // Box-Muller; 1 - u keeps log away from 0.
    out.data[i] = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  }
  return out;
}

/** Whether x is a tensor (concrete or traced). */
export const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;
