/**
 * Every primitive of core, declared once with its shape and dtype rule. Ops (ops/*) bind these; transforms
 * (transforms/*) and backends (backend/*) each hold one table of rules keyed by these names.
 */
import type { Jaxpr } from '../ir/jaxpr';
import { evalJaxpr } from '../ir/jaxpr';
import { allocate, type DType, isFloat } from '../tensor/dtype';
import { broadcastShapes, fmt, type Shape, shapesEqual, sizeOf } from '../tensor/shape';
import { type Aval, ConcreteTensor } from '../tensor/tensor';
import { definePrimitive, type Primitive } from './primitive';

type NoParams = Record<string, never>;
const aval = (shape: Shape, dtype: DType): Aval => ({ shape, dtype });

function sameDtype(op: string, avals: readonly Aval[]): DType {
  const d = avals[0]!.dtype;
  for (const a of avals)
    if (a.dtype !== d)
      throw new Error(`${op}: operands have dtypes ${avals.map((x) => x.dtype).join(' and ')}; cast first`);
  return d;
}

const unaryFloat = (name: string) =>
  definePrimitive<NoParams>(name, ([x]) => {
    if (!isFloat(x!.dtype)) throw new Error(`${name}: needs a floating-point tensor, got ${x!.dtype}`);
    return [x!];
  });
const unary = (name: string) => definePrimitive<NoParams>(name, ([x]) => [x!]);
const binary = (name: string) =>
  definePrimitive<NoParams>(name, (avals) => [
    aval(broadcastShapes(name, ...avals.map((a) => a.shape)), sameDtype(name, avals)),
  ]);
const compare = (name: string) =>
  definePrimitive<NoParams>(name, (avals) => {
    sameDtype(name, avals);
    return [aval(broadcastShapes(name, ...avals.map((a) => a.shape)), 'bool')];
  });
const reduce = (name: string) =>
  definePrimitive<{ axes: readonly number[] }>(name, ([x], { axes }) => [
    aval(
      x!.shape.filter((_, i) => !axes.includes(i)),
      x!.dtype,
    ),
  ]);

export interface SliceParams {
  readonly starts: readonly number[];
  readonly stops: readonly number[];
  readonly steps: readonly number[];
}
export interface PadParams {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly interior: readonly number[];
  readonly value: number;
}
export interface ScanParams {
  /** inVars: consts, carry, per-step xs; outVars: carry, per-step ys. */
  readonly jaxpr: Jaxpr;
  readonly numConsts: number;
  readonly numCarry: number;
  readonly length: number;
  /** Segments for reverse mode (transforms/scan-vjp.ts); 0 lets it choose from the size of the carries. */
  readonly checkpoints: number;
}

export const sliceLength = (start: number, stop: number, step: number): number =>
  Math.max(0, Math.ceil((stop - start) / step));

function scanAbstractEval(avals: readonly Aval[], p: ScanParams): Aval[] {
  const { jaxpr, numConsts, numCarry, length } = p;
  const carryIn = avals.slice(numConsts, numConsts + numCarry);
  jaxpr.outVars.slice(0, numCarry).forEach((v, i) => {
    const c = carryIn[i]!;
    if (!shapesEqual(v.aval.shape, c.shape) || v.aval.dtype !== c.dtype)
      throw new Error(
        `scan: the body returns carry ${i} as ${v.aval.dtype}${fmt(v.aval.shape)} but it came in as ${c.dtype}${fmt(c.shape)}; the carry must keep its shape and dtype`,
      );
  });
  const ys = jaxpr.outVars.slice(numCarry).map((v) => aval([length, ...v.aval.shape], v.aval.dtype));
  return [...carryIn, ...ys];
}

/** Plain loop on concrete values: the evaluation rule of scan (transforms rewrite its body instead). */
function scanImpl(args: ConcreteTensor[], p: ScanParams): ConcreteTensor[] {
  const { jaxpr, numConsts, numCarry, length } = p;
  const consts = args.slice(0, numConsts);
  let carry: ConcreteTensor[] = args.slice(numConsts, numConsts + numCarry);
  const xs = args.slice(numConsts + numCarry);
  const ysAvals = jaxpr.outVars.slice(numCarry).map((v) => v.aval);
  const ys = ysAvals.map((a) => allocate(a.dtype, length * sizeOf(a.shape)));
  for (let i = 0; i < length; i++) {
    const xi = xs.map((x) => {
      const m = sizeOf(x.shape) / x.shape[0]!;
      return new ConcreteTensor(x.data.subarray(i * m, (i + 1) * m), x.shape.slice(1), x.dtype);
    });
    const outs = evalJaxpr(jaxpr, [...consts, ...carry, ...xi]) as ConcreteTensor[];
    carry = outs.slice(0, numCarry);
    outs.slice(numCarry).forEach((y, k) => {
      ys[k]!.set(y.data, i * y.data.length);
    });
  }
  return [
    ...carry,
    ...ys.map((d, k) => new ConcreteTensor(d, [length, ...ysAvals[k]!.shape], ysAvals[k]!.dtype)),
  ];
}

export const P = {
  neg: unary('neg'),
  sin: unaryFloat('sin'),
  cos: unaryFloat('cos'),
  tan: unaryFloat('tan'),
  exp: unaryFloat('exp'),
  log: unaryFloat('log'),
  sqrt: unaryFloat('sqrt'),
  tanh: unaryFloat('tanh'),
  logistic: unaryFloat('logistic'),
  abs: unary('abs'),
  sign: unary('sign'),
  powScalar: definePrimitive<{ p: number }>('powScalar', ([x]) => [x!]),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div'),
  pow: binary('pow'),
  maximum: binary('maximum'),
  minimum: binary('minimum'),
  lt: compare('lt'),
  le: compare('le'),
  gt: compare('gt'),
  ge: compare('ge'),
  eq: compare('eq'),
  ne: compare('ne'),
  where: definePrimitive<NoParams>('where', ([c, x, y]) => {
    if (c!.dtype !== 'bool') throw new Error(`where: the condition must be bool, got ${c!.dtype}`);
    return [aval(broadcastShapes('where', c!.shape, x!.shape, y!.shape), sameDtype('where', [x!, y!]))];
  }),
  cast: definePrimitive<{ dtype: DType }>('cast', ([x], { dtype }) => [aval(x!.shape, dtype)]),
  sum: reduce('sum'),
  max: reduce('max'),
  min: reduce('min'),
  reshape: definePrimitive<{ shape: Shape }>('reshape', ([x], { shape }) => {
    if (sizeOf(shape) !== sizeOf(x!.shape))
      throw new Error(`reshape: cannot reshape ${fmt(x!.shape)} to ${fmt(shape)}`);
    return [aval(shape, x!.dtype)];
  }),
  expand: definePrimitive<{ shape: Shape }>('expand', ([x], { shape }) => {
    const b = broadcastShapes('expand', x!.shape, shape);
    if (!shapesEqual(b, shape)) throw new Error(`expand: cannot broadcast ${fmt(x!.shape)} to ${fmt(shape)}`);
    return [aval(shape, x!.dtype)];
  }),
  transpose: definePrimitive<{ perm: readonly number[] }>('transpose', ([x], { perm }) => [
    aval(
      perm.map((p) => x!.shape[p]!),
      x!.dtype,
    ),
  ]),
  slice: definePrimitive<SliceParams>('slice', ([x], { starts, stops, steps }) => [
    aval(
      x!.shape.map((_, d) => sliceLength(starts[d]!, stops[d]!, steps[d]!)),
      x!.dtype,
    ),
  ]),
  pad: definePrimitive<PadParams>('pad', ([x], { lo, hi, interior }) => [
    aval(
      x!.shape.map((n, d) => lo[d]! + hi[d]! + n + Math.max(0, n - 1) * interior[d]!),
      x!.dtype,
    ),
  ]),
  flip: definePrimitive<{ axes: readonly number[] }>('flip', ([x]) => [x!]),
  concat: definePrimitive<{ axis: number }>('concat', (avals, { axis }) => {
    const first = avals[0]!;
    for (const a of avals)
      if (a.shape.length !== first.shape.length || a.shape.some((d, i) => i !== axis && d !== first.shape[i]))
        throw new Error(
          `cat: shapes ${avals.map((x) => fmt(x.shape)).join(', ')} differ outside axis ${axis}`,
        );
    const shape = [...first.shape];
    shape[axis] = avals.reduce((s, a) => s + a.shape[axis]!, 0);
    return [aval(shape, sameDtype('cat', avals))];
  }),
  /** Batched matrix product; both operands carry the same leading batch dims (ops/linalg broadcasts them). */
  matmul: definePrimitive<NoParams>('matmul', ([a, b]) => {
    const as = a!.shape;
    const bs = b!.shape;
    const r = as.length;
    if (r < 2 || bs.length !== r || as[r - 1] !== bs[r - 2] || !shapesEqual(as.slice(0, -2), bs.slice(0, -2)))
      throw new Error(`matmul: shapes ${fmt(as)} and ${fmt(bs)} do not fit`);
    return [aval([...as.slice(0, -1), bs[r - 1]!], sameDtype('matmul', [a!, b!]))];
  }),
  /** take_along_axis: out[..i..] = x[..idx[..i..]..] along `axis`; idx has x's shape outside `axis`. */
  gather: definePrimitive<{ axis: number }>('gather', ([x, idx], { axis }) => {
    if (idx!.dtype !== 'int32') throw new Error(`gather: indices must be int32, got ${idx!.dtype}`);
    if (idx!.shape.length !== x!.shape.length || idx!.shape.some((d, i) => i !== axis && d !== x!.shape[i]))
      throw new Error(`gather: indices ${fmt(idx!.shape)} do not fit ${fmt(x!.shape)} outside axis ${axis}`);
    return [aval(idx!.shape, x!.dtype)];
  }),
  /** base with updates added at idx along `axis` (the transpose of gather). */
  scatterAdd: definePrimitive<{ axis: number }>('scatterAdd', ([base, idx, upd], { axis }) => {
    if (idx!.dtype !== 'int32') throw new Error(`scatterAdd: indices must be int32, got ${idx!.dtype}`);
    if (!shapesEqual(idx!.shape, upd!.shape) || idx!.shape.some((d, i) => i !== axis && d !== base!.shape[i]))
      throw new Error(
        `scatterAdd: indices ${fmt(idx!.shape)} and updates ${fmt(upd!.shape)} do not fit ${fmt(base!.shape)}`,
      );
    return [aval(base!.shape, sameDtype('scatterAdd', [base!, upd!]))];
  }),
  scan: definePrimitive<ScanParams>('scan', scanAbstractEval, scanImpl),
} satisfies Record<string, Primitive<any>>;

export type PrimName = keyof typeof P;
export type ParamsOf<K extends PrimName> = (typeof P)[K] extends Primitive<infer Q> ? Q : never;
