/**
 * Staging: run a function on abstract tracers and record a Jaxpr. Values the function closes over (concrete
 * tensors, tracers of enclosing transforms) become leading constant inputs: closure conversion, so a loop
 * body can be handed to every transform as data.
 */

import type { Primitive } from '../interpreter/primitive';
import { fullRaise, type MainTrace, Trace, Tracer, withMain } from '../interpreter/trace';
import type { Aval, Tensor } from '../tensor/tensor';
import { type ClosedJaxpr, type Eqn, Var } from './jaxpr';

class Builder {
  readonly eqns: Eqn[] = [];
  readonly vars = new Map<StagingTracer, Var>();
  readonly constTracers = new Map<Tensor, StagingTracer>();
  readonly constVals: Tensor[] = [];
  readonly constVars: Var[] = [];

  newTracer(trace: Trace, aval: Aval): StagingTracer {
    const t = new StagingTracer(trace, { shape: [...aval.shape], dtype: aval.dtype });
    this.vars.set(t, new Var(t.aval));
    return t;
  }

  varOf(t: StagingTracer): Var {
    const v = this.vars.get(t);
    if (!v) throw new Error('staging: a tracer from another staged function was used here');
    return v;
  }
}

class StagingTracer extends Tracer {
  constructor(
    readonly trace: Trace,
    readonly aval: Aval,
  ) {
    super();
  }
}

class StagingTrace extends Trace {
  private get builder(): Builder {
    return (this.main as MainTrace<Builder>).globalData;
  }

  pure(x: Tensor): Tracer {
    return this.lift(x);
  }

  lift(x: Tensor): Tracer {
    const b = this.builder;
    let t = b.constTracers.get(x);
    if (!t) {
      t = b.newTracer(this, x);
      b.constTracers.set(x, t);
      b.constVals.push(x);
      b.constVars.push(b.varOf(t));
    }
    return t;
  }

  processPrimitive(prim: Primitive<any>, tracers: Tracer[], params: any): Tensor[] {
    const b = this.builder;
    const outs = prim
      .abstractEval(
        tracers.map((t) => t.aval),
        params,
      )
      .map((a) => b.newTracer(this, a));
    b.eqns.push({
      prim,
      params,
      inputs: tracers.map((t) => b.varOf(t as StagingTracer)),
      outputs: outs.map((t) => b.varOf(t)),
    });
    return outs;
  }
}

/**
 * Trace `f` at the given input avals. With `dynamic`, every op is staged, even one on constants only (for jit);
 * otherwise ops that do not touch the inputs run now and enter as constants (loop-invariant hoisting).
 */
export function makeJaxpr(
  f: (...args: Tensor[]) => Tensor[],
  inAvals: readonly Aval[],
  dynamic = false,
): ClosedJaxpr {
  const builder = new Builder();
  return withMain<Builder, ClosedJaxpr>(
    (main) => new StagingTrace(main),
    builder,
    (main) => {
      const trace = new StagingTrace(main);
      const args = inAvals.map((a) => builder.newTracer(trace, a));
      const outs = f(...args).map((o) => fullRaise(trace, o) as StagingTracer);
      return {
        jaxpr: {
          inVars: [...builder.constVars, ...args.map((a) => builder.varOf(a))],
          eqns: builder.eqns,
          outVars: outs.map((o) => builder.varOf(o)),
        },
        consts: builder.constVals,
      };
    },
    dynamic,
  );
}
