/**
 * Jacobian sparsity detection: a structural jvp in the boolean semiring. Each tracer carries, per element,
 * the set of input elements its derivative can depend on (a bitset; null = none, the symbolic zero), and one
 * rule per primitive propagates the sets. No derivative is ever evaluated.
 *
 * Global mode carries no values for input-dependent tensors, so the pattern holds at every input: a `where`
 * on a traced condition takes the union of both branches. Constants keep their values, so exact zeros of a
 * constant factor (a sparse matrix in `A @ x`) and constant conditions still prune. Local mode carries the
 * primal values too and gives the pattern at that point: `where` follows the branch taken, max/min the
 * winner, and a factor that is exactly zero there drops the other factor's dependence.
 */

import type { Primitive } from '../interpreter/primitive';
import { P, type ParamsOf, type PrimName, type ScanParams } from '../interpreter/primitives';
import { bind, fullRaise, type MainTrace, Trace, Tracer, withMain } from '../interpreter/trace';
import { evalJaxpr } from '../ir/jaxpr';
import { zeros } from '../ops/creation';
import { reshape, sliceAxis, stack } from '../ops/shape';
import { BitRows, gatherRows, orGather, orScatter, sameDeps } from '../sparse/bitset';
import { alongAxisMap, broadcastMap, concatMap, knownAt, movementMap, reduceMap } from '../sparse/indexmap';
import { isFloat } from '../tensor/dtype';
import { sizeOf } from '../tensor/shape';
import { type Aval, ConcreteTensor, type Tensor } from '../tensor/tensor';

interface Ctx {
  /** 32-bit words per dependency set: ceil(number of input elements / 32). */
  readonly words: number;
  readonly local: boolean;
}

export class SparsityTracer extends Tracer {
  constructor(
    readonly trace: Trace,
    readonly aval: Aval,
    /** One dependency set per element (C order); null: depends on no input. */
    readonly deps: BitRows | null,
    /** The value where known: always in local mode, for constants only in global mode. */
    readonly value: Tensor | null,
  ) {
    super();
  }

  override fullLower(): Tensor {
    return this.deps === null && this.value !== null ? this.value : this;
  }
}

type Rule<Q> = (ins: SparsityTracer[], params: Q, trace: SparsityTrace) => SparsityTracer[];
/** Dependency sets of the outputs from those of the inputs; `outs` carry the output values where known. */
type DepsRule<Q> = (
  ins: SparsityTracer[],
  outs: { aval: Aval; value: Tensor | null }[],
  params: Q,
  words: number,
) => (BitRows | null)[];

const avalOf = (x: Aval): Aval => ({ shape: x.shape, dtype: x.dtype });
const known = (t: SparsityTracer): ConcreteTensor | null =>
  t.value instanceof ConcreteTensor ? t.value : null;

class SparsityTrace extends Trace {
  get ctx(): Ctx {
    return (this.main as MainTrace<Ctx>).globalData;
  }

  pure(x: Tensor): Tracer {
    return new SparsityTracer(this, avalOf(x), null, x);
  }

  lift(x: Tensor): Tracer {
    return new SparsityTracer(this, avalOf(x), null, x);
  }

  processPrimitive(prim: Primitive<any>, tracers: Tracer[], params: any): Tensor[] {
    const ts = tracers as SparsityTracer[];
    if (ts.every((t) => t.deps === null)) {
      if (ts.every((t) => t.value !== null))
        return bind(
          prim,
          ts.map((t) => t.value!),
          params,
        );
      return prim
        .abstractEval(
          ts.map((t) => t.aval),
          params,
        )
        .map((a) => new SparsityTracer(this, a, null, null));
    }
    const rule = (sparsityRules as Record<string, Rule<any>>)[prim.name];
    if (!rule) throw new Error(`jacobianSparsity: no rule for primitive '${prim.name}'`);
    return rule(ts, params, this);
  }
}

/**
 * Dependency sets of the outputs of a flat function: input element k of the concatenated inputs is bit k.
 * Non-float outputs get null. `local` evaluates at the given inputs; otherwise their values are not used.
 */
export function sparsityFlat(
  f: (xs: Tensor[]) => Tensor[],
  inputs: readonly Tensor[],
  local = false,
): { avals: Aval[]; deps: (BitRows | null)[]; inputSize: number } {
  const inputSize = inputs.reduce((s, x) => s + x.size, 0);
  const ctx: Ctx = { words: Math.max(1, Math.ceil(inputSize / 32)), local };
  return withMain(
    (main: MainTrace<Ctx>) => new SparsityTrace(main),
    ctx,
    (main) => {
      const trace = new SparsityTrace(main);
      let offset = 0;
      const ins = inputs.map((x) => {
        const t = new SparsityTracer(
          trace,
          avalOf(x),
          BitRows.identity(x.size, ctx.words, offset),
          local ? x : null,
        );
        offset += x.size;
        return t;
      });
      const outs = f(ins).map((o) => fullRaise(trace, o) as SparsityTracer);
      return {
        avals: outs.map((o) => avalOf(o.aval)),
        deps: outs.map((o) => (isFloat(o.aval.dtype) ? o.deps : null)),
        inputSize,
      };
    },
  );
}

/** Lift a dependency rule to a full rule: output avals, values where every input value is known. */
function deps<Q>(prim: Primitive<Q>, rule: DepsRule<Q>): Rule<Q> {
  return (ins, params, trace) => {
    const avals = prim.abstractEval(
      ins.map((t) => t.aval),
      params,
    );
    const values = ins.every((t) => t.value !== null)
      ? bind(
          prim,
          ins.map((t) => t.value!),
          params,
        )
      : null;
    const outs = avals.map((aval, i) => ({ aval, value: values?.[i] ?? null }));
    const sets = rule(ins, outs, params, trace.ctx.words);
    return outs.map(
      (o, i) => new SparsityTracer(trace, o.aval, isFloat(o.aval.dtype) ? (sets[i] ?? null) : null, o.value),
    );
  };
}

/** Union over operands, each broadcast to the output shape and kept only where its mask is nonzero. */
function union(
  shape: readonly number[],
  words: number,
  terms: { t: SparsityTracer; mask?: ArrayLike<number> | null }[],
): BitRows | null {
  const live = terms.filter((x) => x.t.deps !== null);
  if (live.length === 0) return null;
  const only = live[0]!;
  if (live.length === 1 && !only.mask && broadcastMap(only.t.aval.shape, shape) === null) return only.t.deps;
  const out = new BitRows(sizeOf(shape), words);
  for (const { t, mask } of live) orGather(out, t.deps!, broadcastMap(t.aval.shape, shape), mask ?? null);
  return out;
}

/** Where `v` is known: 1 where it is nonzero (the other factor's derivative survives), else no mask. */
function nonzero(t: SparsityTracer, shape: readonly number[]): Uint8Array | null {
  const v = knownAt(known(t), shape);
  if (v === null) return null;
  const m = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) m[i] = v[i] !== 0 ? 1 : 0;
  return m;
}

const same = <Q>(prim: Primitive<Q>): Rule<Q> => deps(prim, ([x]) => [x!.deps]);
const none = <Q>(prim: Primitive<Q>): Rule<Q> => deps(prim, () => [null]);
const elementwise = <Q>(prim: Primitive<Q>): Rule<Q> =>
  deps(prim, (ins, [o], _p, words) => [
    union(
      o!.aval.shape,
      words,
      ins.map((t) => ({ t })),
    ),
  ]);
const movement = <Q extends object>(prim: Primitive<Q>): Rule<Q> =>
  deps(prim, ([x], _o, params) => [gatherRows(x!.deps!, movementMap(prim, x!.aval.shape, params))]);

/** max/min of two operands: each side where it wins; ties and unknown values keep both (as jvp averages). */
function extremum(prim: Primitive<any>, wins: (a: number, b: number) => boolean): Rule<any> {
  return deps(prim, ([x, y], [o], _p, words) => {
    const shape = o!.aval.shape;
    const xv = knownAt(known(x!), shape);
    const yv = knownAt(known(y!), shape);
    if (xv === null || yv === null) return [union(shape, words, [{ t: x! }, { t: y! }])];
    const mx = new Uint8Array(xv.length);
    const my = new Uint8Array(xv.length);
    for (let i = 0; i < xv.length; i++) {
      const a = xv[i]!;
      const b = yv[i]!;
      mx[i] = wins(b, a) ? 0 : 1;
      my[i] = wins(a, b) ? 0 : 1;
    }
    return [
      union(shape, words, [
        { t: x!, mask: mx },
        { t: y!, mask: my },
      ]),
    ];
  });
}

/** sum/max/min over axes: the union of the reduced elements (for max/min in local mode: of the extremal ones). */
function reduction(prim: Primitive<{ axes: readonly number[] }>, extremal: boolean): Rule<any> {
  return deps(prim, ([x], [o], { axes }, words) => {
    const map = reduceMap(x!.aval.shape, axes);
    const out = new BitRows(sizeOf(o!.aval.shape), words);
    let mask: Uint8Array | null = null;
    const xv = known(x!);
    const ov = o!.value instanceof ConcreteTensor ? o!.value.data : null;
    if (extremal && xv && ov) {
      mask = new Uint8Array(map.length);
      for (let e = 0; e < map.length; e++) {
        const best = ov[map[e]!]!;
        mask[e] = xv.data[e] === best || Number.isNaN(best) ? 1 : 0;
      }
    }
    orScatter(out, x!.deps!, map, mask);
    return [out];
  });
}

/** Each output element of a batched matrix product depends on its row of `a` and its column of `b`. */
const matmulDeps: DepsRule<any> = ([a, b], [o], _p, words) => {
  const as = a!.aval.shape;
  const r = as.length;
  const [M, K, N] = [as[r - 2]!, as[r - 1]!, b!.aval.shape[r - 1]!];
  const batch = sizeOf(as.slice(0, -2));
  const out = new BitRows(sizeOf(o!.aval.shape), words);
  const W = words;
  const ob = out.bits;
  const av = known(a!)?.data ?? null;
  const bv = known(b!)?.data ?? null;
  const acc = new Uint32Array(W);
  const orRow = (dst: Uint32Array, at: number, src: Uint32Array, from: number) => {
    for (let w = 0; w < W; w++) dst[at + w]! |= src[from + w]!;
  };
  for (let p = 0; p < batch; p++) {
    const a0 = p * M * K;
    const b0 = p * K * N;
    const o0 = p * M * N;
    if (a!.deps) {
      const ab = a!.deps.bits;
      for (let i = 0; i < M; i++) {
        if (bv === null) {
          // b may be nonzero anywhere: the whole row of a reaches every column
          acc.fill(0);
          for (let k = 0; k < K; k++) orRow(acc, 0, ab, (a0 + i * K + k) * W);
          for (let j = 0; j < N; j++) orRow(ob, (o0 + i * N + j) * W, acc, 0);
        } else
          for (let j = 0; j < N; j++)
            for (let k = 0; k < K; k++)
              if (bv[b0 + k * N + j] !== 0) orRow(ob, (o0 + i * N + j) * W, ab, (a0 + i * K + k) * W);
      }
    }
    if (b!.deps) {
      const bb = b!.deps.bits;
      for (let j = 0; j < N; j++) {
        if (av === null) {
          acc.fill(0);
          for (let k = 0; k < K; k++) orRow(acc, 0, bb, (b0 + k * N + j) * W);
          for (let i = 0; i < M; i++) orRow(ob, (o0 + i * N + j) * W, acc, 0);
        } else
          for (let i = 0; i < M; i++)
            for (let k = 0; k < K; k++)
              if (av[a0 + i * K + k] !== 0) orRow(ob, (o0 + i * N + j) * W, bb, (b0 + k * N + j) * W);
      }
    }
  }
  return [out];
};

/** The union along `axis`, broadcast back over it to `shape` (an index that is not known can be any). */
function anyAlong(x: SparsityTracer, axis: number, shape: readonly number[], words: number): BitRows {
  const xs = x.aval.shape;
  const folded = new BitRows(sizeOf(xs) / xs[axis]!, words);
  orScatter(folded, x.deps!, reduceMap(xs, [axis]));
  const foldedShape = xs.map((d, i) => (i === axis ? 1 : d));
  const map = broadcastMap(foldedShape, shape);
  return map === null ? folded : gatherRows(folded, map);
}

const gatherDeps: DepsRule<{ axis: number }> = ([x, idx], _o, { axis }, words) => {
  const iv = known(idx!);
  if (iv) return [gatherRows(x!.deps!, alongAxisMap(x!.aval.shape, iv, axis))];
  return [anyAlong(x!, axis, idx!.aval.shape, words)];
};

const scatterAddDeps: DepsRule<{ axis: number }> = ([b, idx, u], [o], { axis }, words) => {
  const shape = o!.aval.shape;
  const out = new BitRows(sizeOf(shape), words);
  if (b!.deps) orGather(out, b!.deps, null);
  if (u!.deps) {
    const iv = known(idx!);
    if (iv) orScatter(out, u!.deps, alongAxisMap(shape, iv, axis));
    else
      orGather(
        out,
        anyAlong(
          u!,
          axis,
          shape.map((d, i) => (i === axis ? 1 : d)),
          words,
        ),
        reduceMap(shape, [axis]),
      );
  }
  return [out];
};

const sparsityRules: { [K in PrimName]: Rule<ParamsOf<K>> } = {
  neg: same(P.neg),
  sin: same(P.sin),
  cos: same(P.cos),
  tan: same(P.tan),
  exp: same(P.exp),
  log: same(P.log),
  sqrt: same(P.sqrt),
  tanh: same(P.tanh),
  logistic: same(P.logistic),
  abs: same(P.abs),
  sign: none(P.sign),
  powScalar: deps(P.powScalar, ([x], _o, { p }) => [p === 0 ? null : x!.deps]),
  add: elementwise(P.add),
  sub: elementwise(P.sub),
  mul: deps(P.mul, ([x, y], [o], _p, words) => {
    const shape = o!.aval.shape;
    return [
      union(shape, words, [
        { t: x!, mask: nonzero(y!, shape) },
        { t: y!, mask: nonzero(x!, shape) },
      ]),
    ];
  }),
  div: deps(P.div, ([x, y], [o], _p, words) => {
    const shape = o!.aval.shape;
    // d(x/y)/dy = -x/y²: nothing flows from y where x is exactly zero
    return [union(shape, words, [{ t: x! }, { t: y!, mask: nonzero(x!, shape) }])];
  }),
  pow: elementwise(P.pow),
  maximum: extremum(P.maximum, (a, b) => a > b),
  minimum: extremum(P.minimum, (a, b) => a < b),
  lt: none(P.lt),
  le: none(P.le),
  gt: none(P.gt),
  ge: none(P.ge),
  eq: none(P.eq),
  ne: none(P.ne),
  where: deps(P.where, ([c, x, y], [o], _p, words) => {
    const shape = o!.aval.shape;
    const cv = knownAt(known(c!), shape);
    if (cv === null) return [union(shape, words, [{ t: x! }, { t: y! }])];
    const notC = Uint8Array.from(cv, (v) => (v === 0 ? 1 : 0));
    return [
      union(shape, words, [
        { t: x!, mask: cv },
        { t: y!, mask: notC },
      ]),
    ];
  }),
  cast: deps(P.cast, ([x], _o, { dtype }) => [isFloat(dtype) ? x!.deps : null]),
  sum: reduction(P.sum, false),
  max: reduction(P.max, true),
  min: reduction(P.min, true),
  reshape: same(P.reshape),
  expand: movement(P.expand),
  transpose: movement(P.transpose),
  slice: movement(P.slice),
  pad: movement(P.pad),
  flip: movement(P.flip),
  concat: deps(P.concat, (ins, _o, params, words) => {
    const [which, local] = concatMap(
      ins.map((t) => t.aval.shape),
      params,
    );
    const out = new BitRows(which.length, words);
    const W = words;
    for (let e = 0; e < which.length; e++) {
      const src = ins[which[e]!]!.deps;
      if (src) out.bits.set(src.bits.subarray(local[e]! * W, (local[e]! + 1) * W), e * W);
    }
    return [out];
  }),
  matmul: deps(P.matmul, matmulDeps),
  gather: deps(P.gather, gatherDeps),
  scatterAdd: deps(P.scatterAdd, scatterAddDeps),
  scan: scanRule,
};

/**
 * scan: run the body's rules step by step. In global mode the carries enter without values, so a step is a
 * function of the carries' dependency sets alone: once a step returns every carry set unchanged (a fixpoint;
 * the sets only grow in a diffusion-like loop and saturate), all later steps repeat it and the loop stops.
 * Per-step inputs (xs) with dependencies or values make the steps differ, so those scans run to the end.
 */
function scanRule(ins: SparsityTracer[], params: ScanParams, trace: SparsityTrace): SparsityTracer[] {
  const { jaxpr, numConsts: nC, numCarry: nK, length } = params;
  const { local, words } = trace.ctx;
  const abstract = (t: SparsityTracer) => (local ? t : new SparsityTracer(trace, t.aval, t.deps, null));
  const consts = ins.slice(0, nC);
  let carry = ins.slice(nC, nC + nK).map(abstract);
  const xs = ins.slice(nC + nK);
  const yAvals = jaxpr.outVars.slice(nK).map((v) => v.aval);
  const ySizes = yAvals.map((a) => sizeOf(a.shape));
  const yDeps = yAvals.map((a, k) => (isFloat(a.dtype) ? new BitRows(length * ySizes[k]!, words) : null));
  const yVals: Tensor[][] = yAvals.map(() => []);
  const canStop = !local && xs.every((x) => x.deps === null && x.value === null);

  const stepOf = (x: SparsityTracer, i: number): SparsityTracer => {
    const shape = x.aval.shape.slice(1);
    const m = sizeOf(shape);
    const value = x.value === null ? null : reshape(sliceAxis(x.value, 0, i, i + 1), shape);
    return new SparsityTracer(trace, { shape, dtype: x.aval.dtype }, x.deps?.view(i * m, m) ?? null, value);
  };
  const copyStep = (k: number, from: number, to: number) => {
    const d = yDeps[k];
    if (!d) return;
    const n = ySizes[k]! * words;
    d.bits.copyWithin(to * n, from * n, (from + 1) * n);
  };

  for (let i = 0; i < length; i++) {
    const outs = evalJaxpr(jaxpr, [...consts, ...carry, ...xs.map((x) => stepOf(x, i))]).map(
      (o) => fullRaise(trace, o) as SparsityTracer,
    );
    const next = outs.slice(0, nK).map(abstract);
    outs.slice(nK).forEach((y, k) => {
      if (yDeps[k] && y.deps) yDeps[k].bits.set(y.deps.bits, i * ySizes[k]! * words);
      if (local) yVals[k]!.push(y.value!);
    });
    const fixed = canStop && next.every((c, k) => sameDeps(c.deps, carry[k]!.deps));
    carry = next;
    if (fixed) {
      for (let j = i + 1; j < length; j++) for (let k = 0; k < yAvals.length; k++) copyStep(k, i, j);
      break;
    }
  }
  const ys = yAvals.map((a, k) => {
    const shape = [length, ...a.shape];
    const value = !local ? null : length > 0 ? stack(yVals[k]!, 0) : zeros(shape, { dtype: a.dtype });
    return new SparsityTracer(trace, { shape, dtype: a.dtype }, yDeps[k] ?? null, value);
  });
  return [...carry, ...ys];
}
