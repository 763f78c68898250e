/** Forward mode: each tracer carries a primal and a tangent (null = symbolic zero). One rule per primitive. */

import type { Primitive } from '../interpreter/primitive';
import { P, type ParamsOf, type PrimName, type ScanParams } from '../interpreter/primitives';
import {
  bind,
  bind1,
  fullRaise,
  type MainTrace,
  PrimalTracer,
  Trace,
  type Tracer,
  withMain,
} from '../interpreter/trace';
import { evalJaxpr } from '../ir/jaxpr';
import { makeJaxpr } from '../ir/stage';
import { cast, div, eq, gt, log, lt, mul, pow, sub, where } from '../ops/elementwise';
import { sum } from '../ops/reduce';
import { reshape } from '../ops/shape';
import { isFloat } from '../tensor/dtype';
import type { Aval, Tensor } from '../tensor/tensor';
import { splitBySizes } from '../util/arrays';
import { powScalarDerivative, type SmoothUnary, unaryDerivative } from './derivatives';
import { addMaybe, broadcastTo, instantiate, isDifferentiable, type Maybe, subMaybe } from './helpers';

class JVPTracer extends PrimalTracer {
  constructor(
    trace: Trace,
    primal: Tensor,
    readonly tangent: Maybe,
  ) {
    super(trace, primal);
  }

  protected get trivial(): boolean {
    return this.tangent === null;
  }
}

type JvpRule<Q> = (primals: Tensor[], tangents: Maybe[], params: Q) => [Tensor[], Maybe[]];

class JVPTrace extends Trace {
  pure(x: Tensor): Tracer {
    return new JVPTracer(this, x, null);
  }

  lift(x: Tensor): Tracer {
    return new JVPTracer(this, x, null);
  }

  processPrimitive(prim: Primitive<any>, tracers: Tracer[], params: any): Tensor[] {
    const ts = tracers as JVPTracer[];
    const primals = ts.map((t) => t.primal);
    const tangents = ts.map((t) => t.tangent);
    if (tangents.every((t) => t === null)) return bind(prim, primals, params);
    const rule = (jvpRules as Record<string, JvpRule<any>>)[prim.name];
    if (!rule) throw new Error(`jvp: no rule for primitive '${prim.name}'`);
    const [outs, touts] = rule(primals, tangents, params);
    return outs.map((o, i) => new JVPTracer(this, o, isDifferentiable(o) ? touts[i]! : null));
  }
}

/** jvp of a flat function; tangents may be null (zero). Output tangents may be null too. */
export function jvpFlat(
  f: (xs: Tensor[]) => Tensor[],
  primals: Tensor[],
  tangents: Maybe[],
): [Tensor[], Maybe[]] {
  return withMain(
    (main: MainTrace<undefined>) => new JVPTrace(main),
    undefined,
    (main) => {
      const trace = new JVPTrace(main);
      const ins = primals.map((p, i) => new JVPTracer(trace, p, tangents[i] ?? null));
      const outs = f(ins).map((o) => fullRaise(trace, o) as JVPTracer);
      return [outs.map((o) => o.primal), outs.map((o) => o.tangent)];
    },
  );
}

const unary =
  (name: SmoothUnary): JvpRule<any> =>
  ([x], [t], params) => {
    const y = bind1(P[name], [x!], params);
    return [[y], [mul(t!, unaryDerivative[name](x!, y))]];
  };

const linear =
  (prim: Primitive<any>): JvpRule<any> =>
  (primals, tangents, params) => [
    bind(prim, primals, params),
    bind(
      prim,
      tangents.map((t, i) => instantiate(t, primals[i]!)),
      params,
    ),
  ];

const noTangent =
  (prim: Primitive<any>): JvpRule<any> =>
  (primals, _t, params) => [bind(prim, primals, params), [null]];

function reductionJvp(prim: Primitive<any>): JvpRule<{ axes: readonly number[] }> {
  return ([x], [t], params) => {
    const y = bind1(prim, [x!], params);
    const keep = x!.shape.map((d, i) => (params.axes.includes(i) ? 1 : d));
    const mask = cast(eq(x!, reshape(y, keep)), x!.dtype);
    return [[y], [div(sum(mul(t!, mask), params.axes), sum(mask, params.axes))]];
  };
}

function extremumJvp(prim: Primitive<any>, pickX: typeof gt): JvpRule<any> {
  return ([x, y], [tx, ty]) => {
    const out = bind1(prim, [x!, y!], {});
    const a = broadcastTo(instantiate(tx!, x!), out.shape);
    const b = broadcastTo(instantiate(ty!, y!), out.shape);
    const tie = mul(addMaybe(a, b)!, 0.5);
    return [[out], [where(pickX(x!, y!), a, where(pickX(y!, x!), b, tie))]];
  };
}

const jvpRules: { [K in PrimName]: JvpRule<ParamsOf<K>> } = {
  neg: linear(P.neg),
  sin: unary('sin'),
  cos: unary('cos'),
  tan: unary('tan'),
  exp: unary('exp'),
  log: unary('log'),
  sqrt: unary('sqrt'),
  tanh: unary('tanh'),
  logistic: unary('logistic'),
  abs: unary('abs'),
  sign: noTangent(P.sign),
  powScalar: ([x], [t], params) => {
    const y = bind1(P.powScalar, [x!], params);
    return [[y], [mul(t!, powScalarDerivative(x!, params.p))]];
  },
  add: ([x, y], [tx, ty]) => {
    const out = bind1(P.add, [x!, y!], {});
    return [[out], [broadcastTo(addMaybe(tx!, ty!)!, out.shape)]];
  },
  sub: ([x, y], [tx, ty]) => {
    const out = bind1(P.sub, [x!, y!], {});
    return [[out], [broadcastTo(subMaybe(tx!, ty!, y!)!, out.shape)]];
  },
  mul: ([x, y], [tx, ty]) => {
    const out = bind1(P.mul, [x!, y!], {});
    const t = addMaybe(tx ? mul(tx, y!) : null, ty ? mul(x!, ty) : null)!;
    return [[out], [broadcastTo(t, out.shape)]];
  },
  div: ([x, y], [tx, ty]) => {
    const out = bind1(P.div, [x!, y!], {});
    const t = subMaybe(tx ? div(tx, y!) : null, ty ? div(mul(ty, out), y!) : null, out)!;
    return [[out], [broadcastTo(t, out.shape)]];
  },
  pow: ([x, y], [tx, ty]) => {
    const out = bind1(P.pow, [x!, y!], {});
    const dx = tx ? mul(tx, mul(y!, pow(x!, sub(y!, 1)))) : null;
    const dy = ty ? mul(ty, where(eq(x!, 0), 0, mul(log(x!), out))) : null;
    return [[out], [broadcastTo(addMaybe(dx, dy)!, out.shape)]];
  },
  maximum: extremumJvp(P.maximum, gt),
  minimum: extremumJvp(P.minimum, lt),
  lt: noTangent(P.lt),
  le: noTangent(P.le),
  gt: noTangent(P.gt),
  ge: noTangent(P.ge),
  eq: noTangent(P.eq),
  ne: noTangent(P.ne),
  where: ([c, x, y], [, tx, ty]) => {
    const out = bind1(P.where, [c!, x!, y!], {});
    return [[out], [where(c!, instantiate(tx!, x!), instantiate(ty!, y!))]];
  },
  cast: ([x], [t], params) => [
    [bind1(P.cast, [x!], params)],
    [isFloat(params.dtype) ? cast(t!, params.dtype) : null],
  ],
  sum: linear(P.sum),
  max: reductionJvp(P.max),
  min: reductionJvp(P.min),
  reshape: linear(P.reshape),
  expand: linear(P.expand),
  transpose: linear(P.transpose),
  slice: linear(P.slice),
  pad: ([x], [t], params) => [[bind1(P.pad, [x!], params)], [bind1(P.pad, [t!], { ...params, value: 0 })]],
  flip: linear(P.flip),
  concat: linear(P.concat),
  matmul: ([a, b], [ta, tb]) => {
    const out = bind1(P.matmul, [a!, b!], {});
    return [
      [out],
      [addMaybe(ta ? bind1(P.matmul, [ta, b!], {}) : null, tb ? bind1(P.matmul, [a!, tb], {}) : null)],
    ];
  },
  gather: ([x, idx], [t], params) => [
    [bind1(P.gather, [x!, idx!], params)],
    [t ? bind1(P.gather, [t, idx!], params) : null],
  ],
  scatterAdd: ([b, idx, u], [tb, , tu], params) => [
    [bind1(P.scatterAdd, [b!, idx!, u!], params)],
    [bind1(P.scatterAdd, [instantiate(tb!, b!), idx!, instantiate(tu!, u!)], params)],
  ],
  scan: scanJvp,
};

/**
 * scan: one scan over primal and tangent state. Constant and xs tangents enter only where nonzero;
 * every float carry gets a tangent (a nonzero input can reach any of them).
 */
function scanJvp(primals: Tensor[], tangents: Maybe[], params: ScanParams): [Tensor[], Maybe[]] {
  const { jaxpr, numConsts: nC, numCarry: nK } = params;
  const split = <T>(xs: T[]) => [xs.slice(0, nC), xs.slice(nC, nC + nK), xs.slice(nC + nK)] as const;
  const [consts, carry, xs] = split(primals);
  const [tConsts, tCarry, tXs] = split(tangents);
  const constIdx = tConsts.flatMap((t, i) => (t ? [i] : []));
  const carryIdx = carry.flatMap((c, i) => (isDifferentiable(c) ? [i] : []));
  const xsIdx = tXs.flatMap((t, i) => (t ? [i] : []));
  const stepAval = (x: Aval): Aval => ({ shape: x.shape.slice(1), dtype: x.dtype });
  const yAvals = jaxpr.outVars.slice(nK).map((v) => v.aval);
  const yIdx = yAvals.flatMap((a, i) => (isDifferentiable(a) ? [i] : []));

  const body = (...args: Tensor[]): Tensor[] => {
    const [c, tc, k0, tk, x, tx] = splitBySizes(args, [
      nC,
      constIdx.length,
      nK,
      carryIdx.length,
      xs.length,
      xsIdx.length,
    ]) as [Tensor[], Tensor[], Tensor[], Tensor[], Tensor[], Tensor[]];
    const tan = (n: number, idx: number[], vals: Tensor[]) => {
      const out: Maybe[] = Array(n).fill(null);
      idx.forEach((i, j) => {
        out[i] = vals[j]!;
      });
      return out;
    };
    const [outs, touts] = jvpFlat(
      (ins) => evalJaxpr(jaxpr, ins),
      [...c, ...k0, ...x],
      [...tan(nC, constIdx, tc), ...tan(nK, carryIdx, tk), ...tan(xs.length, xsIdx, tx)],
    );
    const carryOut = outs.slice(0, nK);
    const ys = outs.slice(nK);
    return [
      ...carryOut,
      ...carryIdx.map((i) => instantiate(touts[i]!, carryOut[i]!)),
      ...ys,
      ...yIdx.map((i) => instantiate(touts[nK + i]!, ys[i]!)),
    ];
  };
  const inAvals: Aval[] = [
    ...consts,
    ...constIdx.map((i) => consts[i]!),
    ...carry,
    ...carryIdx.map((i) => carry[i]!),
    ...xs.map(stepAval),
    ...xsIdx.map((i) => stepAval(xs[i]!)),
  ];
  const closed = makeJaxpr(body, inAvals);
  const outs = bind(
    P.scan,
    [
      ...closed.consts,
      ...consts,
      ...constIdx.map((i) => tConsts[i]!),
      ...carry,
      ...carryIdx.map((i) => instantiate(tCarry[i]!, carry[i]!)),
      ...xs,
      ...xsIdx.map((i) => tXs[i]!),
    ],
    {
      ...params,
      jaxpr: closed.jaxpr,
      numConsts: closed.consts.length + nC + constIdx.length,
      numCarry: nK + carryIdx.length,
    },
  );
  const nKT = carryIdx.length;
  const carryOut = outs.slice(0, nK);
  const carryT: Maybe[] = Array(nK).fill(null);
  carryIdx.forEach((i, j) => {
    carryT[i] = outs[nK + j]!;
  });
  const ys = outs.slice(nK + nKT, nK + nKT + yAvals.length);
  const ysT: Maybe[] = Array(yAvals.length).fill(null);
  yIdx.forEach((i, j) => {
    ysT[i] = outs[nK + nKT + yAvals.length + j]!;
  });
  return [
    [...carryOut, ...ys],
    [...carryT, ...ysT],
  ];
}
