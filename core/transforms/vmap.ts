/** Batching: each tracer carries a value and the axis its batch lives on (null = not batched). */

import type { Primitive } from '../interpreter/primitive';
import { P, type ParamsOf, type PrimName, type ScanParams } from '../interpreter/primitives';
import { bind, bind1, fullRaise, type MainTrace, Trace, Tracer, withMain } from '../interpreter/trace';
import { evalJaxpr, type Jaxpr } from '../ir/jaxpr';
import { makeJaxpr } from '../ir/stage';
import { expand, movedim, reshape } from '../ops/shape';
import type { Aval, Tensor } from '../tensor/tensor';

/** A batch dim: the axis that holds the batch, or null for a value that is the same for every batch element. */
export type BDim = number | null;

export class BatchTracer extends Tracer {
  constructor(
    readonly trace: Trace,
    readonly val: Tensor,
    readonly bdim: BDim,
  ) {
    super();
  }

  get aval(): Aval {
    if (this.bdim === null) return this.val;
    return { shape: this.val.shape.filter((_, i) => i !== this.bdim), dtype: this.val.dtype };
  }

  override fullLower(): Tensor {
    return this.bdim === null ? this.val : this;
  }
}

type BatchRule<Q> = (vals: Tensor[], dims: BDim[], params: Q, size: number) => [Tensor[], BDim[]];

class BatchTrace extends Trace {
  get axisSize(): number {
    return (this.main as MainTrace<number>).globalData;
  }

  pure(x: Tensor): Tracer {
    return new BatchTracer(this, x, null);
  }

  lift(x: Tensor): Tracer {
    return new BatchTracer(this, x, null);
  }

  processPrimitive(prim: Primitive<any>, tracers: Tracer[], params: any): Tensor[] {
    const ts = tracers as BatchTracer[];
    const vals = ts.map((t) => t.val);
    const dims = ts.map((t) => t.bdim);
    if (dims.every((d) => d === null)) return bind(prim, vals, params);
    const rule = (batchRules as Record<string, BatchRule<any>>)[prim.name];
    if (!rule) throw new Error(`vmap: no batching rule for primitive '${prim.name}'`);
    const [outs, outDims] = rule(vals, dims, params, this.axisSize);
    return outs.map((o, i) => new BatchTracer(this, o, outDims[i]!));
  }
}

/** Batch a flat function: args with a dim are mapped over it; outputs come back batched at axis 0. */
export function vmapFlat(
  f: (xs: Tensor[]) => Tensor[],
  args: Tensor[],
  dims: BDim[],
  size: number,
): [Tensor[], BDim[]] {
  return withMain(
    (main: MainTrace<number>) => new BatchTrace(main),
    size,
    (main) => {
      const trace = new BatchTrace(main);
      const ins = args.map((a, i) => (dims[i] === null ? a : new BatchTracer(trace, a, dims[i]!)));
      const outs = f(ins).map((o) => fullRaise(trace, o) as BatchTracer);
      return [outs.map((o) => moveTo0(o.val, o.bdim)), outs.map((o) => (o.bdim === null ? null : 0))];
    },
  );
}

export const moveTo0 = (x: Tensor, d: BDim): Tensor => (d === null || d === 0 ? x : movedim(x, d, 0));

/** Batch at axis 0, broadcasting an unbatched value. */
export function materialize(x: Tensor, d: BDim, size: number): Tensor {
  if (d !== null) return moveTo0(x, d);
  return expand(reshape(x, [1, ...x.shape]), [size, ...x.shape]);
}

/** Elementwise n-ary ops: batched operands go to axis 0 and are padded to the common rank. */
function elementwise(prim: Primitive<any>): BatchRule<any> {
  return (vals, dims, params) => {
    if (vals.length === 1) return [[bind1(prim, vals, params)], dims];
    // operands batched alike (same axis, same rank) need no move
    if (dims.every((d) => d !== null && d === dims[0]) && vals.every((v) => v.ndim === vals[0]!.ndim))
      return [[bind1(prim, vals, params)], [dims[0]!]];
    const rank = Math.max(...vals.map((v, i) => v.ndim - (dims[i] === null ? 0 : 1)));
    const args = vals.map((v, i) => {
      if (dims[i] === null) return v;
      const m = moveTo0(v, dims[i]!);
      const ex = m.shape.slice(1);
      return reshape(m, [m.shape[0]!, ...Array(rank - ex.length).fill(1), ...ex]);
    });
    return [[bind1(prim, args, params)], [0]];
  };
}

const shifted = (axes: readonly number[]) => axes.map((a) => a + 1);

/** An unbatched axis's index once the batch axis sits at `d` (axis-wise rules leave the batch where it is, so
 * a reversed or sliced stack of scan steps, batched behind its time axis, is not transposed back and forth). */
const around = (axes: readonly number[], d: number) => axes.map((a) => (a < d ? a : a + 1));

/** `xs` (one entry per unbatched axis) with the batch axis's entry `v` inserted at `d`. */
const insertAt = <T>(xs: readonly T[], d: number, v: T): T[] => [...xs.slice(0, d), v, ...xs.slice(d)];

const reduceRule =
  (prim: Primitive<any>): BatchRule<{ axes: readonly number[] }> =>
  ([x], [d], params) => {
    const axes = around(params.axes, d!);
    return [[bind1(prim, [x!], { axes })], [d! - axes.filter((a) => a < d!).length]];
  };

const allBatched =
  (prim: Primitive<any>, adjust: (params: any) => any): BatchRule<any> =>
  (vals, dims, params, size) => [
    [
      bind1(
        prim,
        vals.map((v, i) => materialize(v, dims[i]!, size)),
        adjust(params),
      ),
    ],
    [0],
  ];

const batchRules: { [K in PrimName]: BatchRule<ParamsOf<K>> } = {
  neg: elementwise(P.neg),
  sin: elementwise(P.sin),
  cos: elementwise(P.cos),
  tan: elementwise(P.tan),
  exp: elementwise(P.exp),
  log: elementwise(P.log),
  sqrt: elementwise(P.sqrt),
  tanh: elementwise(P.tanh),
  logistic: elementwise(P.logistic),
  abs: elementwise(P.abs),
  sign: elementwise(P.sign),
  powScalar: elementwise(P.powScalar),
  add: elementwise(P.add),
  sub: elementwise(P.sub),
  mul: elementwise(P.mul),
  div: elementwise(P.div),
  pow: elementwise(P.pow),
  maximum: elementwise(P.maximum),
  minimum: elementwise(P.minimum),
  lt: elementwise(P.lt),
  le: elementwise(P.le),
  gt: elementwise(P.gt),
  ge: elementwise(P.ge),
  eq: elementwise(P.eq),
  ne: elementwise(P.ne),
  where: elementwise(P.where),
  cast: elementwise(P.cast),
  sum: reduceRule(P.sum),
  max: reduceRule(P.max),
  min: reduceRule(P.min),
  reshape: ([x], [d], { shape }) => {
    const m = moveTo0(x!, d!);
    return [[bind1(P.reshape, [m], { shape: [m.shape[0]!, ...shape] })], [0]];
  },
  expand: ([x], [d], { shape }) => {
    const m = moveTo0(x!, d!);
    const ex = m.shape.slice(1);
    const padded = reshape(m, [m.shape[0]!, ...Array(shape.length - ex.length).fill(1), ...ex]);
    return [[bind1(P.expand, [padded], { shape: [m.shape[0]!, ...shape] })], [0]];
  },
  transpose: ([x], [d], { perm }) => [
    [bind1(P.transpose, [moveTo0(x!, d!)], { perm: [0, ...shifted(perm)] })],
    [0],
  ],
  slice: ([x], [d], { starts, stops, steps }) => {
    const params = {
      starts: insertAt(starts, d!, 0),
      stops: insertAt(stops, d!, x!.shape[d!]!),
      steps: insertAt(steps, d!, 1),
    };
    return [[bind1(P.slice, [x!], params)], [d!]];
  },
  pad: ([x], [d], { lo, hi, interior, value }) => {
    const params = {
      lo: insertAt(lo, d!, 0),
      hi: insertAt(hi, d!, 0),
      interior: insertAt(interior, d!, 0),
      value,
    };
    return [[bind1(P.pad, [x!], params)], [d!]];
  },
  flip: ([x], [d], { axes }) => [[bind1(P.flip, [x!], { axes: around(axes, d!) })], [d!]],
  concat: allBatched(P.concat, ({ axis }) => ({ axis: axis + 1 })),
  matmul: ([a, b], [da, db], _p, size) => {
    // An unbatched right operand lets the batch fold into the rows: one large product instead of `size` small ones.
    if (db === null && b!.ndim === 2) {
      const A = moveTo0(a!, da!);
      const rows = reshape(A, [-1, A.shape[A.ndim - 1]!]);
      const out = bind1(P.matmul, [rows, b!], {});
      return [[reshape(out, [...A.shape.slice(0, -1), b!.shape[1]!])], [0]];
    }
    return [[bind1(P.matmul, [materialize(a!, da!, size), materialize(b!, db!, size)], {})], [0]];
  },
  gather: allBatched(P.gather, ({ axis }) => ({ axis: axis + 1 })),
  scatterAdd: allBatched(P.scatterAdd, ({ axis }) => ({ axis: axis + 1 })),
  scan: scanBatch,
};

/** Batch a staged body: inputs flagged in `batched` get a leading axis of `size`; `force` outputs are broadcast. */
function batchJaxpr(jaxpr: Jaxpr, batched: boolean[], size: number, force: boolean[]) {
  const outBatched: boolean[] = [];
  const avals = jaxpr.inVars.map((v, i) =>
    batched[i] ? { shape: [size, ...v.aval.shape], dtype: v.aval.dtype } : v.aval,
  );
  const closed = makeJaxpr((...args) => {
    const [outs, dims] = vmapFlat(
      (xs) => evalJaxpr(jaxpr, xs),
      args,
      batched.map((b) => (b ? 0 : null)),
      size,
    );
    outBatched.length = 0;
    return outs.map((o, i) => {
      outBatched.push(dims[i] !== null || !!force[i]);
      return force[i] ? materialize(o, dims[i]!, size) : o;
    });
  }, avals);
  return { closed, outBatched };
}

/** scan: batched consts at 0, batched xs at 1 (0 is time); carries batched as a fixpoint of the body. */
function scanBatch(vals: Tensor[], dims: BDim[], params: ScanParams, size: number): [Tensor[], BDim[]] {
  const { jaxpr, numConsts: nC, numCarry: nK } = params;
  let carryB = dims.slice(nC, nC + nK).map((d) => d !== null);
  const inB = () => [
    ...dims.slice(0, nC).map((d) => d !== null),
    ...carryB,
    ...dims.slice(nC + nK).map((d) => d !== null),
  ];
  for (let iter = 0; iter <= nK; iter++) {
    const { outBatched } = batchJaxpr(jaxpr, inB(), size, []);
    const next = carryB.map((b, i) => b || outBatched[i]!);
    if (next.every((b, i) => b === carryB[i])) break;
    carryB = next;
  }
  const yCount = jaxpr.outVars.length - nK;
  const { closed, outBatched } = batchJaxpr(jaxpr, inB(), size, [...carryB, ...Array(yCount).fill(false)]);
  const args = vals.map((v, i) => {
    if (i < nC) return moveTo0(v, dims[i]!);
    if (i < nC + nK) return carryB[i - nC] ? materialize(v, dims[i]!, size) : v;
    const d = dims[i]!;
    return d === null ? v : movedim(v, d, 1);
  });
  const outs = bind(P.scan, [...closed.consts, ...args], {
    ...params,
    jaxpr: closed.jaxpr,
    numConsts: closed.consts.length + nC,
  });
  return [outs, outs.map((_, i) => (i < nK ? (carryB[i] ? 0 : null) : outBatched[i] ? 1 : null))];
}
