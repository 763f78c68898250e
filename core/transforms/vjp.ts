/**
 * Reverse mode on a tape. Each rule runs the primitive and returns a pullback built from ops, so the backward
 * pass is itself traceable: grad of grad, vmap of a pullback (jacrev) and jvp of a pullback (hessian) compose.
 */

import type { Primitive } from '../interpreter/primitive';
import { P, type ParamsOf, type PrimName } from '../interpreter/primitives';
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
import { cast, div, eq, gt, log, lt, mul, neg, pow, sub, where } from '../ops/elementwise';
import { sum } from '../ops/reduce';
import { reshape, sliceAxis } from '../ops/shape';
import { isFloat } from '../tensor/dtype';
import type { Aval, Tensor } from '../tensor/tensor';
import { offsetsOf } from '../util/arrays';
import { powScalarDerivative, type SmoothUnary, unaryDerivative } from './derivatives';
import { addMaybe, invertPerm, isDifferentiable, type Maybe, unbroadcast, zerosOf } from './helpers';
import { scanVjp } from './scan-vjp';

type Pullback = (cts: Maybe[]) => Maybe[];
type VjpRule<Q> = (primals: Tensor[], params: Q) => [Tensor[], Pullback];

interface Node {
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly pullback: Pullback;
}

class Tape {
  readonly nodes: Node[] = [];
  private next = 0;
  fresh(): number {
    return this.next++;
  }
}

const CONSTANT = -1;

class VJPTracer extends PrimalTracer {
  constructor(
    trace: Trace,
    primal: Tensor,
    readonly id: number,
  ) {
    super(trace, primal);
  }

  protected get trivial(): boolean {
    return this.id === CONSTANT;
  }
}

class VJPTrace extends Trace {
  private get tape(): Tape {
    return (this.main as MainTrace<Tape>).globalData;
  }

  pure(x: Tensor): Tracer {
    return new VJPTracer(this, x, CONSTANT);
  }

  lift(x: Tensor): Tracer {
    return new VJPTracer(this, x, CONSTANT);
  }

  processPrimitive(prim: Primitive<any>, tracers: Tracer[], params: any): Tensor[] {
    const ts = tracers as VJPTracer[];
    const primals = ts.map((t) => t.primal);
    const ids = ts.map((t) => (isDifferentiable(t.primal) ? t.id : CONSTANT));
    if (ids.every((i) => i === CONSTANT)) return bind(prim, primals, params);
    const rule = (vjpRules as Record<string, VjpRule<any>>)[prim.name];
    if (!rule) throw new Error(`vjp: no rule for primitive '${prim.name}'`);
    const [outs, pullback] = rule(primals, params);
    const tape = this.tape;
    const outIds = outs.map((o) => (isDifferentiable(o) ? tape.fresh() : CONSTANT));
    tape.nodes.push({ inputs: ids, outputs: outIds, pullback });
    return outs.map((o, i) => new VJPTracer(this, o, outIds[i]!));
  }
}

/** vjp of a flat function: the outputs and a pullback from output cotangents (null = zero) to input ones. */
export function vjpFlat(f: (xs: Tensor[]) => Tensor[], primals: Tensor[]): [Tensor[], Pullback] {
  const tape = new Tape();
  const [outs, inIds, outIds] = withMain(
    (main: MainTrace<Tape>) => new VJPTrace(main),
    tape,
    (main) => {
      const trace = new VJPTrace(main);
      const ins = primals.map((p) => new VJPTracer(trace, p, isDifferentiable(p) ? tape.fresh() : CONSTANT));
      const raised = f(ins).map((o) => fullRaise(trace, o) as VJPTracer);
      return [raised.map((o) => o.primal), ins.map((t) => t.id), raised.map((o) => o.id)] as const;
    },
  );
  const pullback: Pullback = (cts) => {
    const acc = new Map<number, Tensor>();
    const put = (id: number, ct: Maybe) => {
      if (id === CONSTANT || ct === null) return;
      acc.set(id, addMaybe(acc.get(id) ?? null, ct)!);
    };
    outIds.forEach((id, i) => {
      put(id, cts[i] ?? null);
    });
    for (let n = tape.nodes.length - 1; n >= 0; n--) {
      const node = tape.nodes[n]!;
      const outCts = node.outputs.map((id) => (id === CONSTANT ? null : (acc.get(id) ?? null)));
      if (outCts.every((c) => c === null)) continue;
      const inCts = node.pullback(outCts);
      node.inputs.forEach((id, i) => {
        put(id, inCts[i] ?? null);
      });
    }
    return inIds.map((id) => (id === CONSTANT ? null : (acc.get(id) ?? null)));
  };
  return [outs, pullback];
}

const unary =
  (name: SmoothUnary): VjpRule<any> =>
  ([x], params) => {
    const y = bind1(P[name], [x!], params);
    return [[y], ([ct]) => [mul(ct!, unaryDerivative[name](x!, y))]];
  };

const constant =
  (prim: Primitive<any>): VjpRule<any> =>
  (primals, params) => [bind(prim, primals, params), () => primals.map(() => null)];

function reductionVjp(prim: Primitive<any>): VjpRule<{ axes: readonly number[] }> {
  return ([x], params) => {
    const y = bind1(prim, [x!], params);
    const keep = x!.shape.map((d, i) => (params.axes.includes(i) ? 1 : d));
    return [
      [y],
      ([ct]) => {
        const mask = cast(eq(x!, reshape(y, keep)), x!.dtype);
        const share = div(mask, sum(mask, params.axes, { keepdim: true }));
        return [mul(reshape(ct!, keep), share)];
      },
    ];
  };
}

function extremumVjp(prim: Primitive<any>, pick: typeof gt): VjpRule<any> {
  return ([x, y]) => {
    const out = bind1(prim, [x!, y!], {});
    return [
      [out],
      ([ct]) => {
        const wx = where(pick(x!, y!), 1, where(pick(y!, x!), 0, 0.5));
        const wxT = cast(wx, ct!.dtype);
        return [unbroadcast(mul(ct!, wxT), x!.shape), unbroadcast(mul(ct!, sub(1, wxT)), y!.shape)];
      },
    ];
  };
}

const swapLastTwo = (rank: number) =>
  [...Array(rank).keys()].map((i) => (i < rank - 2 ? i : 2 * rank - 3 - i));

/** The cotangent of a strided slice: zeros with the cotangent placed back (pad with interior padding). */
function unslice(
  ct: Tensor,
  x: Aval,
  { starts, steps }: { starts: readonly number[]; steps: readonly number[] },
) {
  const hi = x.shape.map(
    (n, d) => n - (ct.shape[d]! ? starts[d]! + (ct.shape[d]! - 1) * steps[d]! + 1 : starts[d]!),
  );
  return bind1(P.pad, [ct], { lo: starts, hi, interior: steps.map((s) => s - 1), value: 0 });
}

const vjpRules: { [K in PrimName]: VjpRule<ParamsOf<K>> } = {
  neg: ([x]) => [[neg(x!)], ([ct]) => [neg(ct!)]],
  sin: unary('sin'),
  cos: unary('cos'),
  tan: unary('tan'),
  exp: unary('exp'),
  log: unary('log'),
  sqrt: unary('sqrt'),
  tanh: unary('tanh'),
  logistic: unary('logistic'),
  abs: unary('abs'),
  sign: constant(P.sign),
  powScalar: ([x], params) => {
    const y = bind1(P.powScalar, [x!], params);
    return [[y], ([ct]) => [mul(ct!, powScalarDerivative(x!, params.p))]];
  },
  add: ([x, y]) => [
    [bind1(P.add, [x!, y!], {})],
    ([ct]) => [unbroadcast(ct!, x!.shape), unbroadcast(ct!, y!.shape)],
  ],
  sub: ([x, y]) => [
    [bind1(P.sub, [x!, y!], {})],
    ([ct]) => [unbroadcast(ct!, x!.shape), neg(unbroadcast(ct!, y!.shape))],
  ],
  mul: ([x, y]) => [
    [bind1(P.mul, [x!, y!], {})],
    ([ct]) => [unbroadcast(mul(ct!, y!), x!.shape), unbroadcast(mul(ct!, x!), y!.shape)],
  ],
  div: ([x, y]) => {
    const out = bind1(P.div, [x!, y!], {});
    return [
      [out],
      ([ct]) => [unbroadcast(div(ct!, y!), x!.shape), neg(unbroadcast(div(mul(ct!, out), y!), y!.shape))],
    ];
  },
  pow: ([x, y]) => {
    const out = bind1(P.pow, [x!, y!], {});
    return [
      [out],
      ([ct]) => [
        unbroadcast(mul(ct!, mul(y!, pow(x!, sub(y!, 1)))), x!.shape),
        unbroadcast(mul(ct!, where(eq(x!, 0), 0, mul(log(x!), out))), y!.shape),
      ],
    ];
  },
  maximum: extremumVjp(P.maximum, gt),
  minimum: extremumVjp(P.minimum, lt),
  lt: constant(P.lt),
  le: constant(P.le),
  gt: constant(P.gt),
  ge: constant(P.ge),
  eq: constant(P.eq),
  ne: constant(P.ne),
  where: ([c, x, y]) => [
    [bind1(P.where, [c!, x!, y!], {})],
    ([ct]) => [null, unbroadcast(where(c!, ct!, 0), x!.shape), unbroadcast(where(c!, 0, ct!), y!.shape)],
  ],
  cast: ([x], params) => [
    [bind1(P.cast, [x!], params)],
    ([ct]) => [isFloat(x!.dtype) ? cast(ct!, x!.dtype) : null],
  ],
  sum: ([x], params) => {
    const keep = x!.shape.map((d, i) => (params.axes.includes(i) ? 1 : d));
    return [
      [bind1(P.sum, [x!], params)],
      ([ct]) => [bind1(P.expand, [reshape(ct!, keep)], { shape: x!.shape })],
    ];
  },
  max: reductionVjp(P.max),
  min: reductionVjp(P.min),
  reshape: ([x], params) => [[bind1(P.reshape, [x!], params)], ([ct]) => [reshape(ct!, x!.shape)]],
  expand: ([x], params) => [[bind1(P.expand, [x!], params)], ([ct]) => [unbroadcast(ct!, x!.shape)]],
  transpose: ([x], params) => [
    [bind1(P.transpose, [x!], params)],
    ([ct]) => [bind1(P.transpose, [ct!], { perm: invertPerm(params.perm) })],
  ],
  slice: ([x], params) => [[bind1(P.slice, [x!], params)], ([ct]) => [unslice(ct!, x!, params)]],
  pad: ([x], params) => [
    [bind1(P.pad, [x!], params)],
    ([ct]) => [
      bind1(P.slice, [ct!], {
        starts: params.lo,
        stops: x!.shape.map(
          (n, d) => params.lo[d]! + Math.max(0, n - 1) * (params.interior[d]! + 1) + (n ? 1 : 0),
        ),
        steps: params.interior.map((i) => i + 1),
      }),
    ],
  ],
  flip: ([x], params) => [[bind1(P.flip, [x!], params)], ([ct]) => [bind1(P.flip, [ct!], params)]],
  concat: (xs, params) => [
    [bind1(P.concat, xs, params)],
    ([ct]) => {
      const sizes = xs.map((x) => x.shape[params.axis]!);
      const offs = offsetsOf(sizes);
      return xs.map((_, i) => sliceAxis(ct!, params.axis, offs[i]!, offs[i]! + sizes[i]!));
    },
  ],
  matmul: ([a, b]) => {
    const mT = (t: Tensor) => bind1(P.transpose, [t], { perm: swapLastTwo(t.ndim) });
    return [
      [bind1(P.matmul, [a!, b!], {})],
      ([ct]) => [bind1(P.matmul, [ct!, mT(b!)], {}), bind1(P.matmul, [mT(a!), ct!], {})],
    ];
  },
  gather: ([x, idx], params) => [
    [bind1(P.gather, [x!, idx!], params)],
    ([ct]) => [bind1(P.scatterAdd, [zerosOf(x!), idx!, ct!], params), null],
  ],
  scatterAdd: ([b, idx, u], params) => [
    [bind1(P.scatterAdd, [b!, idx!, u!], params)],
    ([ct]) => [ct!, null, bind1(P.gather, [ct!, idx!], params)],
  ],
  scan: scanVjp,
};
